import { describe, expect, it } from 'vitest';
import { createInvite, parseInvite, INVITE_PREFIX } from './invite';
import { addressOf, generatePrivateKey, publicKeyOf } from '../crypto';
import { fromBase64Url, toBase64Url, utf8, fromUtf8 } from '../base';

function identity() {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

describe('invite links', () => {
  it('round-trips address, key, name and endpoints', () => {
    const id = identity();
    const link = createInvite({ ...id, name: 'Alice', endpoints: [{ host: '127.0.0.1', port: 4000 }], now: 42 });
    expect(link.startsWith(INVITE_PREFIX)).toBe(true);
    const inv = parseInvite(`  ${link}\n`);
    expect(inv.address).toBe(id.address);
    expect(inv.publicKey).toEqual(id.publicKey);
    expect(inv.name).toBe('Alice');
    expect(inv.endpoints).toEqual([{ host: '127.0.0.1', port: 4000 }]);
    expect(inv.createdAt).toBe(42);
  });

  it('rejects an altered endpoint, a swapped signature and junk', () => {
    const id = identity();
    const link = createInvite({ ...id, name: 'Alice', endpoints: [{ host: '127.0.0.1', port: 4000 }] });
    const [body, sig] = link.slice(INVITE_PREFIX.length).split('.');
    const altered = toBase64Url(utf8(fromUtf8(fromBase64Url(body!)).replace('4000', '4001')));
    expect(() => parseInvite(`${INVITE_PREFIX}${altered}.${sig}`)).toThrow(/signature/);
    const other = createInvite({ ...identity(), name: 'Mallory', endpoints: [] });
    const otherSig = other.split('.')[1];
    expect(() => parseInvite(`${INVITE_PREFIX}${body}.${otherSig}`)).toThrow(/signature/);
    for (const junk of ['', 'hello', 'bitunicom://invite/', `${INVITE_PREFIX}abc.def`, `${INVITE_PREFIX}!!.??`]) {
      expect(() => parseInvite(junk)).toThrow(expect.objectContaining({ code: 'BAD_INVITE' }));
    }
  });
});
