import { describe, expect, it } from 'vitest';
import { identityFromPrivateKey, type Identity } from '../account';
import { generatePrivateKey, sha256, signHash } from '../crypto';
import { isBuError, concatBytes } from '../base';
import { ROSTER_MAX_BLOB, encodeRosterPlaintext, openRoster, rosterVersionOf, sealRoster, type RosterContact } from './roster-blob';

const me = (): Identity => identityFromPrivateKey(generatePrivateKey());
const contact = (state: RosterContact['state'], name = 'Alice', endpoints = [{ host: '203.0.113.4', port: 7001 }]): RosterContact => {
  const id = me();
  return { address: id.address, publicKey: id.publicKey, name, state, endpoints };
};
const refused = (f: () => unknown, why: RegExp) => {
  try {
    f();
  } catch (e) {
    expect(isBuError(e, 'BAD_ENVELOPE')).toBe(true);
    expect((e as Error).message).toMatch(why);
    return;
  }
  throw new Error('expected a refusal');
};

describe('roster blob', () => {
  it('seals and opens the contact list: states, names, keys, endpoints (relay endpoints never kept)', () => {
    const bob = me();
    const contacts = [
      contact('friend', 'Alice', [
        { host: '203.0.113.4', port: 7001 },
        { host: '0123456789abcdef.relay.invalid', port: 7000 },
        { host: '192.168.1.9', port: 40000 },
      ]),
      contact('pending_out', 'Carol'),
      contact('pending_in', 'Dave', []),
      contact('blocked', 'Eve', []),
      contact('declined', 'Mallory ☃', []),
    ];
    const blob = sealRoster(bob, { version: 1_700_000_000_000, contacts });
    expect(rosterVersionOf(blob)).toBe(1_700_000_000_000);
    const r = openRoster(blob, bob);
    expect(r.version).toBe(1_700_000_000_000);
    expect(r.contacts.map((c) => [c.address, c.name, c.state])).toEqual(contacts.map((c) => [c.address, c.name, c.state]));
    expect(r.contacts[0]!.endpoints).toEqual([
      { host: '203.0.113.4', port: 7001 },
      { host: '192.168.1.9', port: 40000 },
    ]);
    expect([...r.contacts[1]!.publicKey]).toEqual([...contacts[1]!.publicKey]);
    // the router sees neither names nor addresses
    const text = Buffer.from(blob).toString('latin1');
    expect(text).not.toContain('Alice');
    expect(text.toLowerCase()).not.toContain(contacts[0]!.address.slice(2).toLowerCase());
    // fresh nonce each time
    expect(Buffer.compare(sealRoster(bob, { version: 5, contacts }), sealRoster(bob, { version: 5, contacts }))).not.toBe(0);
  });

  it('refuses tampering anywhere, a wrong owner, a wrong key and rollbacks', () => {
    const bob = me();
    const blob = sealRoster(bob, { version: 100, contacts: [contact('friend')] });
    for (const at of [0, 3, 4, 23, 24, 31, 32, 43, 44, blob.length - 70, blob.length - 66, blob.length - 1]) {
      const t = blob.slice();
      t[at]! ^= 0x01;
      expect(() => openRoster(t, bob), `byte ${at}`).toThrow();
    }
    refused(() => openRoster(blob.subarray(0, blob.length - 1), bob), /signature|size/);
    refused(() => openRoster(concatBytes(blob, Uint8Array.of(0)), bob), /signature/);
    // someone else's blob (even if the router hands it out as ours)
    const eve = me();
    refused(() => openRoster(sealRoster(eve, { version: 200, contacts: [] }), bob), /another account/);
    // right owner field, wrong signer: Eve re-signs a header naming Bob
    const forged = blob.slice(0, blob.length - 65);
    refused(() => openRoster(concatBytes(forged, signHash(sha256(new TextEncoder().encode('BU-ROSTER-v1\0'), forged), eve.privateKey)), bob), /signature/);
    // right signature, wrong decryption key: a different identity cannot open it
    refused(() => openRoster(blob, { ...eve, address: bob.address, publicKey: bob.publicKey }), /authentication/);
    // a validly signed but older copy is refused once we know a newer one
    expect(openRoster(blob, bob, { minVersion: 100 }).version).toBe(100);
    refused(() => openRoster(blob, bob, { minVersion: 101 }), /rollback/);
  });

  it('validates the decrypted body strictly', () => {
    const bob = me();
    // contacts whose key does not match the address, or that are ourselves, are refused
    const other = contact('friend');
    const wrongKey = { ...other, publicKey: me().publicKey };
    refused(() => openRoster(sealRoster(bob, { version: 1, contacts: [wrongKey] }), bob), /does not match/);
    refused(() => openRoster(sealRoster(bob, { version: 1, contacts: [{ ...other, address: bob.address, publicKey: bob.publicKey }] }), bob), /does not match/);
    refused(() => openRoster(sealRoster(bob, { version: 1, contacts: [other, other] }), bob), /duplicate/);
    // long names are cut when sealing, so a backup always opens
    const long = openRoster(sealRoster(bob, { version: 1, contacts: [{ ...other, name: 'x'.repeat(500) }] }), bob);
    expect(long.contacts[0]!.name).toHaveLength(128);
    expect(() => sealRoster(bob, { version: 0, contacts: [] })).toThrow();
  });

  it('is bounded: a list that cannot fit is refused when sealing', () => {
    const bob = me();
    const many = Array.from({ length: 250 }, () => contact('friend', 'A friend with a longish name', [
      { host: '203.0.113.4', port: 7001 },
      { host: '198.51.100.200', port: 65000 },
      { host: '192.168.100.100', port: 40000 },
      { host: '10.200.200.200', port: 50000 },
    ]));
    expect(encodeRosterPlaintext(many).length).toBeGreaterThan(ROSTER_MAX_BLOB);
    try {
      sealRoster(bob, { version: 1, contacts: many });
      throw new Error('expected TOO_LONG');
    } catch (e) {
      expect(isBuError(e, 'TOO_LONG')).toBe(true);
    }
    const blob = sealRoster(bob, { version: 1, contacts: many.map((c) => ({ ...c, endpoints: [] })) });
    expect(blob.length).toBeLessThanOrEqual(ROSTER_MAX_BLOB);
    expect(openRoster(blob, bob).contacts).toHaveLength(250);
  });
});
