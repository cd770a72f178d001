import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../src-preload/contract';
import { fakeContact } from '../bridge/fake-node';
import { resolvePeer } from './resolve-peer';

const BOB = '0xB0b0000000000000000000000000000000000001';
const ANN1 = '0xa000000000000000000000000000000000000001';
const ANN2 = '0xa000000000000000000000000000000000000002';
const contacts = [fakeContact(BOB, 'Bob'), fakeContact(ANN1, 'Ann'), fakeContact(ANN2, ' ann '), fakeContact('0x' + 'c'.repeat(40), 'Émile')];

describe('resolvePeer', () => {
  it('uses an address as is, matching a contact case-insensitively when there is one', () => {
    expect(resolvePeer(BOB.toLowerCase(), contacts)).toEqual(contacts[0]);
    const stranger = '0x' + 'd'.repeat(40);
    expect(resolvePeer(stranger, contacts)).toEqual({ address: stranger, name: '' });
  });

  it('matches one name ignoring case and spaces', () => {
    expect(resolvePeer('bob', contacts).address).toBe(BOB);
    expect(resolvePeer('  BOB ', contacts).address).toBe(BOB);
    expect(resolvePeer('émile', contacts).address).toBe('0x' + 'c'.repeat(40));
  });

  it('refuses unknown and ambiguous names clearly', () => {
    expect(() => resolvePeer('carol', contacts)).toThrow(BridgeError);
    try {
      resolvePeer('carol', contacts);
    } catch (e) {
      expect(e).toMatchObject({ code: 'NOT_FOUND', message: 'no contact named "carol" (see: bitunicom contacts)' });
    }
    try {
      resolvePeer('ANN', contacts);
    } catch (e) {
      expect(e).toMatchObject({ code: 'BAD_INPUT' });
      expect((e as Error).message).toBe(`"ANN" matches 2 contacts (${ANN1}, ${ANN2}); use the address`);
    }
    expect.assertions(4);
  });

  it('does not treat a truncated address as a name', () => {
    expect(() => resolvePeer('0xb0b0', contacts)).toThrow(/not a full address/);
  });
});
