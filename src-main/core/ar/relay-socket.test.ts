import { afterEach, describe, expect, it } from 'vitest';
import { UdpSocket, type Endpoint } from '../net';
import { isRelayEndpoint, RelaySocket } from './relay-socket';
import { waitFor } from './test-helpers';

const opened: UdpSocket[] = [];
async function bind(): Promise<UdpSocket> {
  const s = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

describe('RelaySocket', () => {
  it('wraps datagrams to a virtual endpoint as [0x40][cid][data] to the router, and unwraps the answers', async () => {
    const udp = await bind();
    const router = await bind();
    const other = await bind();
    const rs = new RelaySocket(udp);
    const cid = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]);
    const virtual = rs.addCircuit(cid, router.address(), { peer: '0xpeer' });
    expect(virtual).toEqual({ host: 'deadbeef00010203.relay.invalid', port: router.address().port });
    expect(isRelayEndpoint(virtual)).toBe(true);
    expect(rs.isRelayEndpoint(router.address())).toBe(false);

    const atRouter: Uint8Array[] = [];
    router.onPacket((d) => atRouter.push(new Uint8Array(d)));
    rs.send(Uint8Array.from([5, 6, 7]), virtual);
    await waitFor(() => atRouter.length === 1);
    expect([...atRouter[0]!]).toEqual([0x40, 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 5, 6, 7]);

    const got: Array<{ d: number[]; from: Endpoint }> = [];
    rs.onPacket((d, from) => got.push({ d: [...d], from }));
    const frame = Uint8Array.from([0x40, 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 9, 9]);
    router.send(frame, udp.address());
    // the same frame from anyone but the router is dropped (spoofing a circuit is not possible)
    other.send(frame, udp.address());
    // an unknown cid from the router is dropped too
    router.send(Uint8Array.from([0x40, 1, 1, 1, 1, 1, 1, 1, 1, 9]), udp.address());
    // everything else passes through unchanged
    other.send(Uint8Array.from([0x01, 2]), udp.address());
    await waitFor(() => got.length === 2 && rs.stats().dropped === 2);
    expect(got).toContainEqual({ d: [9, 9], from: virtual });
    expect(got).toContainEqual({ d: [1, 2], from: other.address() });
    expect(rs.stats()).toMatchObject({ framesIn: 1, framesOut: 1, dropped: 2 });

    // direct sends are not wrapped; sends to an unknown virtual endpoint are dropped
    other.onPacket((d) => atRouter.push(new Uint8Array(d)));
    rs.send(Uint8Array.from([1, 1]), other.address());
    rs.removeCircuit(cid);
    rs.send(Uint8Array.from([1, 1]), virtual);
    await waitFor(() => atRouter.length === 2);
    expect([...atRouter[1]!]).toEqual([1, 1]);
    expect(rs.stats().dropped).toBe(3);
    rs.close();
  });
});
