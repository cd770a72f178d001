/**
 * @module dapps/package/paths
 * Which files a dapp bundle may hold and what they are called inside it: relative paths of
 * 1–255 UTF-8 bytes in Unicode NFC, segments separated by `/`, none empty, `.` or `..`, none
 * starting with a dot, no backslash, colon, NUL or control character, and an extension from
 * the closed list below. The list doubles as the MIME map the sandbox serves the files with
 * (types per the IANA media type registry; `text/javascript` per RFC 9239).
 */
import { PackageError } from './errors';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
};

export const MAX_PATH_BYTES = 255;

/** The extension of a path, lower case, without the dot ('' if none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function mimeTypeOf(path: string): string | undefined {
  return MIME_TYPES[extensionOf(path)];
}

/** Why `path` is not a valid bundle path, or null when it is. */
export function pathProblem(path: string): string | null {
  if (path.length === 0) return 'is empty';
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) return `is longer than ${MAX_PATH_BYTES} bytes`;
  if (path !== path.normalize('NFC')) return 'is not in Unicode NFC form';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (/[\\:]|\p{Cc}/u.test(path)) return 'contains a backslash, colon or control character';
  for (const seg of path.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '.' || seg === '..') return `has a "${seg}" segment`;
    if (seg.startsWith('.')) return `has a hidden segment "${seg}"`;
  }
  if (!mimeTypeOf(path)) return `has an extension that is not allowed (allowed: ${Object.keys(MIME_TYPES).join(', ')})`;
  return null;
}

/** Throws BAD_PATH / BAD_EXTENSION when `path` cannot be in a bundle. */
export function checkBundlePath(path: string, what = 'path'): void {
  const problem = pathProblem(path);
  if (problem === null) return;
  const reason = problem.startsWith('has an extension') ? 'BAD_EXTENSION' : 'BAD_PATH';
  throw new PackageError(reason, `The ${what} "${path}" ${problem}.`);
}
