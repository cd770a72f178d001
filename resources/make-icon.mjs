#!/usr/bin/env node
/**
 * @module resources/make-icon
 * Rasterises the shapes of icon.svg into icon.png (512×512 RGBA) with no dependencies:
 * 4×4 supersampling per pixel, PNG written by hand (PNG spec: signature, IHDR, one zlib IDAT
 * of filter-0 scanlines, IEND; CRC-32 per chunk). Run: `node resources/make-icon.mjs`.
 *
 * Also writes what the packages need (.config/electron-builder.yml):
 * - `icons/<N>x<N>.png` for N in LINUX_SIZES: the Linux icon set (AppImage/deb hicolor theme)
 *   and the tray icon;
 * - `icon.ico` (Windows, NSIS): an ICO directory whose entries are PNG images (allowed since
 *   Windows Vista; 256 is stored as 0 in the directory, as the format says);
 * - `icon.icns` (macOS, dmg): 'icns' header + PNG-bearing entries ic07..ic10 (128–1024 px).
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BLUE = [0x2f, 0x54, 0xeb];
const WHITE = [0xff, 0xff, 0xff];

function inRoundedRect(x, y, x0, y0, w, h, r) {
  if (x < x0 || y < y0 || x > x0 + w || y > y0 + h) return false;
  const cx = Math.min(Math.max(x, x0 + r), x0 + w - r);
  const cy = Math.min(Math.max(y, y0 + r), y0 + h - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
const inEllipse = (x, y, cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  const d1 = s(x, y, ax, ay, bx, by);
  const d2 = s(x, y, bx, by, cx, cy);
  const d3 = s(x, y, cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** Colour (rgba) of one sample point, painting in the SVG's order. */
function sample(x, y) {
  if (!inRoundedRect(x, y, 16, 16, 480, 480, 108)) return null;
  let c = BLUE;
  if (inEllipse(x, y, 256, 236, 168, 136) || inTriangle(x, y, [150, 330], [128, 420], [236, 360])) c = WHITE;
  for (const dx of [186, 256, 326]) if (inCircle(x, y, dx, 236, 26)) c = BLUE;
  return c;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function renderPng(size = SIZE, ss = 4) {
  const scale = SIZE / size;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    const row = py * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((px + (sx + 0.5) / ss) * scale, (py + (sy + 0.5) / ss) * scale);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a += 1;
        }
      }
      const o = row + 1 + px * 4;
      if (a) {
        raw[o] = Math.round(r / a); raw[o + 1] = Math.round(g / a); raw[o + 2] = Math.round(b / a);
      }
      raw[o + 3] = Math.round((a / (ss * ss)) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const ICNS_TYPES = [['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]];

/** ICO file (ICONDIR + ICONDIRENTRY[] + PNG payloads) from [size, png] pairs. */
export function icoFile(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(([size, png]) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size; // width (0 means 256)
    e[1] = size >= 256 ? 0 : size; // height
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map(([, png]) => png)]);
}

/** ICNS file from [type, png] pairs: 'icns' + total length, then type + length + data each. */
export function icnsFile(images) {
  const parts = images.map(([type, png]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cache = new Map();
  const png = (size) => {
    if (!cache.has(size)) cache.set(size, renderPng(size, size <= 64 ? 8 : 4));
    return cache.get(size);
  };
  writeFileSync(new URL('./icon.png', import.meta.url), renderPng());
  mkdirSync(new URL('./icons/', import.meta.url), { recursive: true });
  for (const n of LINUX_SIZES) writeFileSync(new URL(`./icons/${n}x${n}.png`, import.meta.url), png(n));
  writeFileSync(new URL('./icon.ico', import.meta.url), icoFile(ICO_SIZES.map((n) => [n, png(n)])));
  writeFileSync(new URL('./icon.icns', import.meta.url), icnsFile(ICNS_TYPES.map(([t, n]) => [t, png(n)])));
}
