import { describe, expect, it } from 'vitest';
import type { EndpointRow } from '../store';
import { MAPPING_FRESH_MS, usableSavedEndpoints } from './endpoint-policy';

const now = 10_000_000;
const row = (host: string, port: number, source: EndpointRow['source'], age: number): EndpointRow => ({ host, port, source, updatedAt: now - age });

describe('saved endpoints worth a direct handshake', () => {
  it('always tries what the friend reported itself; a NAT mapping only while it is fresh', () => {
    const rows = [
      row('192.168.1.5', 40400, 'invite', 10 * 86_400_000), // LAN address from the invite
      row('198.51.100.7', 40400, 'observed', 3_600_000), // public address it reported
      row('203.0.113.9', 31000, 'ping', 5_000), // mapping heard from 5 s ago
      row('203.0.113.9', 30999, 'ping', MAPPING_FRESH_MS + 1), // mapping from before: likely gone
    ];
    expect(usableSavedEndpoints(rows, now)).toEqual([
      { host: '192.168.1.5', port: 40400 },
      { host: '198.51.100.7', port: 40400 },
      { host: '203.0.113.9', port: 31000 },
    ]);
  });

  it('a packet source that the friend also reports is its own address (public host), not a mapping', () => {
    const rows = [row('198.51.100.7', 40400, 'ping', 86_400_000), row('198.51.100.7', 40400, 'observed', 86_400_000)];
    expect(usableSavedEndpoints(rows, now)).toHaveLength(2);
    expect(usableSavedEndpoints([row('198.51.100.7', 40400, 'ping', 86_400_000)], now)).toEqual([]);
  });
});
