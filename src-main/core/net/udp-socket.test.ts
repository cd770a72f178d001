import { describe, expect, it, afterEach } from 'vitest';
import dgram from 'node:dgram';
import type { Logger } from '../base';
import { readFileSync } from 'node:fs';
import { SOCKET_BUFFER_BYTES, UdpSocket } from './udp-socket';
import type { Endpoint } from './endpoint';

const open: UdpSocket[] = [];
async function bind(): Promise<UdpSocket> {
  const s = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function nextPacket(s: UdpSocket): Promise<{ data: Uint8Array; from: Endpoint }> {
  return new Promise((resolve) => {
    const off = s.onPacket((data, from) => {
      off();
      resolve({ data, from });
    });
  });
}

describe('UdpSocket', () => {
  it('binds to a random port and exchanges datagrams both ways', async () => {
    const a = await bind();
    const b = await bind();
    expect(a.address().host).toBe('127.0.0.1');
    expect(a.address().port).toBeGreaterThan(0);
    const got = nextPacket(b);
    a.send(new Uint8Array([1, 2, 3]), b.address());
    const p = await got;
    expect([...p.data]).toEqual([1, 2, 3]);
    expect(p.from).toEqual(a.address());
    const back = nextPacket(a);
    b.send(new Uint8Array([9]), p.from);
    expect([...(await back).data]).toEqual([9]);
  });

  it('fans packets out to every listener and isolates a throwing one', async () => {
    const a = await bind();
    const b = await bind();
    const seen: number[] = [];
    b.onPacket(() => {
      throw new Error('bad listener');
    });
    const off = b.onPacket((d) => seen.push(d[0]!));
    const got = nextPacket(b);
    a.send(new Uint8Array([7]), b.address());
    await got;
    expect(seen).toEqual([7]);
    expect(b.stats().listenerErrors).toBe(1);
    off();
    const got2 = nextPacket(b);
    a.send(new Uint8Array([8]), b.address());
    await got2;
    expect(seen).toEqual([7]);
  });

  it('raises the kernel buffers when allowed', async () => {
    const raw = dgram.createSocket('udp4');
    await new Promise<void>((r) => raw.bind(0, '127.0.0.1', () => r()));
    const untouched = raw.getRecvBufferSize();
    raw.close();
    const a = await bind();
    const inner = (a as unknown as { socket: dgram.Socket }).socket;
    let cap = Infinity; // Linux caps SO_RCVBUF at net.core.rmem_max (and reports double the value)
    try {
      cap = 2 * Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
    } catch {
      /* not Linux */
    }
    expect(inner.getRecvBufferSize()).toBeGreaterThanOrEqual(Math.min(SOCKET_BUFFER_BYTES, cap));
    expect(inner.getRecvBufferSize()).toBeGreaterThanOrEqual(untouched);
  });

  it('never throws on transient send errors and keeps working', async () => {
    const logs: string[] = [];
    const logger: Logger = { debug: (m) => logs.push(m), info() {}, warn() {}, error() {} };
    const a = await UdpSocket.bind({ host: '127.0.0.1', port: 0, logger });
    open.push(a);
    const b = await bind();
    expect(() => a.send(new Uint8Array(10), { host: '255.255.255.255', port: 9 })).not.toThrow(); // EACCES (no SO_BROADCAST)
    expect(() => a.send(new Uint8Array(70_000), b.address())).not.toThrow(); // too big
    expect(() => a.send(new Uint8Array(1), { host: '127.0.0.1', port: 0 })).not.toThrow();
    expect(() => a.send(new Uint8Array(1), { host: 'no-such-host.invalid', port: 9 })).not.toThrow(); // DNS failure
    // the socket-level 'error' event (e.g. ENOBUFS/EPERM surfaced asynchronously) must not crash
    const inner = (a as unknown as { socket: dgram.Socket }).socket;
    expect(() => inner.emit('error', Object.assign(new Error('No buffer space available'), { code: 'ENOBUFS' }))).not.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(a.stats().errors).toBeGreaterThanOrEqual(3);
    expect(logs.length).toBeGreaterThan(0);
    const got = nextPacket(b);
    a.send(new Uint8Array([5]), b.address());
    expect([...(await got).data]).toEqual([5]);
  });

  it('close is idempotent and later sends are silently ignored', async () => {
    const a = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    await a.close();
    await a.close();
    expect(() => a.send(new Uint8Array(1), { host: '127.0.0.1', port: 9 })).not.toThrow();
  });

  it('sendWithTtl sets the TTL for that one datagram only, and refuses what it cannot limit', async () => {
    const a = await bind();
    const b = await bind();
    const inner = (a as unknown as { socket: dgram.Socket }).socket;
    const ttls: number[] = [];
    const setTTL = inner.setTTL.bind(inner);
    inner.setTTL = (t: number) => (ttls.push(t), setTTL(t));
    const got = nextPacket(b);
    expect(a.sendWithTtl(new Uint8Array([0x42, 1]), b.address(), 2)).toBe(true);
    expect([...(await got).data]).toEqual([0x42, 1]);
    expect(ttls).toEqual([2, 64]); // limited, then back to the default for everything else
    expect(a.sendWithTtl(new Uint8Array([1]), { host: 'example.invalid', port: 9 }, 2)).toBe(false); // names would resolve on a later tick
    expect(a.sendWithTtl(new Uint8Array([1]), b.address(), 0)).toBe(false);
    expect(a.sendWithTtl(new Uint8Array([1]), b.address(), 256)).toBe(false);
    await a.close();
    expect(a.sendWithTtl(new Uint8Array([1]), b.address(), 2)).toBe(false);
  });

  it('rejects binding a port in use with BuError NETWORK', async () => {
    const a = await bind();
    await expect(UdpSocket.bind({ host: '127.0.0.1', port: a.address().port })).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
