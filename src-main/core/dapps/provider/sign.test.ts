import { describe, expect, it } from 'vitest';
import { PendingRequest } from '../../../../src-preload/contract';
import { flattenMessage, readTypedData } from './typed-data';
import { A1, A2, APP, DEVNET, SECOND, TOKEN, WATCH, codeOf, connect, errorOf, fakeWallet, pendingOf, setup } from './test-support';

const hex = (s: string | Uint8Array) => `0x${Buffer.from(s).toString('hex')}`;

/** EIP-712's own example (Mail), with an array of structs added. */
function mail(chainId: number | string = DEVNET.chainId) {
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      Person: [
        { name: 'name', type: 'string' },
        { name: 'wallet', type: 'address' },
      ],
      Mail: [
        { name: 'from', type: 'Person' },
        { name: 'to', type: 'Person' },
        { name: 'contents', type: 'string' },
        { name: 'cc', type: 'Person[]' },
      ],
      Unused: [{ name: 'x', type: 'uint256' }],
    },
    primaryType: 'Mail',
    domain: { name: 'Ether Mail', version: '1', chainId, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
    message: {
      from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
      to: { name: 'Bob', wallet: A2 },
      contents: 'Hello, Bob!',
      cc: [{ name: 'Ann', wallet: A1 }],
    },
  };
}

describe('personal_sign (EIP-191)', () => {
  it('shows text as text, signs the bytes after approval, and returns the signature', async () => {
    const s = setup();
    await connect(s, [A1]);
    const r = pendingOf(await s.provider.request(APP, 'personal_sign', [hex('Hello\nworld'), A1]));
    expect(PendingRequest.parse(r)).toEqual(r);
    expect([r.kind, r.account]).toEqual(['personal-sign', A1]);
    expect(r.rows).toEqual([
      { label: 'Account', value: `Account 1 (${A1})`, mono: true },
      { label: 'Message', value: 'Hello\nworld' },
      { label: 'Size', value: '11 bytes' },
    ]);
    expect(r.warnings).toEqual([]);
    expect(await s.provider.decide(r.id, true)).toEqual({ kind: 'result', result: `0x${'11'.repeat(65)}` });
    expect(s.wallet.calls.personal).toEqual([{ from: A1, message: new Uint8Array(Buffer.from('Hello\nworld')) }]);
  });

  it('plain text parameters are signed as UTF-8; control characters are neutralised in the dialog', async () => {
    const s = setup();
    await connect(s, [A1]);
    const r = pendingOf(await s.provider.request(APP, 'personal_sign', ['pay \u202Eevil', A1]));
    expect(r.rows[1]).toEqual({ label: 'Message', value: 'pay  evil' }); // the right-to-left override cannot reorder the dialog
    expect(r.warnings[0]).toContain('direction-changing');
    const t = pendingOf(await s.provider.request(APP, 'personal_sign', ['héllo ✓', A1]));
    expect(t.rows[1]!.value).toBe('héllo ✓');
  });

  it('warns on bytes that are not text, and louder on a 32-byte hash', async () => {
    const s = setup();
    await connect(s, [A1]);
    const bin = pendingOf(await s.provider.request(APP, 'personal_sign', ['0xff00fe', A1]));
    expect(bin.rows[1]).toEqual({ label: 'Message (hex)', value: '0xff00fe', mono: true });
    expect(bin.warnings).toHaveLength(1);
    const h = pendingOf(await s.provider.request(APP, 'personal_sign', [`0x${'9f'.repeat(32)}`, A1]));
    expect(h.warnings).toHaveLength(2);
    expect(h.warnings[1]).toContain('32 bytes');
  });

  it('flags a Sign-In with Ethereum message for another domain (EIP-4361)', async () => {
    const s = setup();
    await connect(s, [A1]);
    const origin = new URL(s.dir.infos.get(APP)!.origin).host;
    const siwe = (d: string) => `${d} wants you to sign in with your Ethereum account:\n${A1}\n\nURI: https://${d}\nVersion: 1\nChain ID: 1698100\nNonce: 32891756\nIssued At: 2021-09-30T16:25:24Z`;
    const ok = pendingOf(await s.provider.request(APP, 'personal_sign', [hex(siwe(origin)), A1]));
    expect([ok.rows[1], ok.warnings]).toEqual([{ label: 'Sign in to', value: origin }, []]);
    const phish = pendingOf(await s.provider.request(APP, 'personal_sign', [hex(siwe('bank.example')), A1]));
    expect(phish.warnings[0]).toContain('bank.example');
  });

  it('refuses accounts not connected, watch-only accounts, swapped parameters; re-checks on approval', async () => {
    const s = setup();
    expect(await codeOf(s.provider.request(APP, 'personal_sign', [hex('x'), A1]))).toBe('PERMISSION_DENIED');
    await connect(s, [A1, WATCH]);
    expect(await codeOf(s.provider.request(APP, 'personal_sign', [hex('x'), A2]))).toBe('PERMISSION_DENIED');
    expect(await codeOf(s.provider.request(APP, 'personal_sign', [hex('x'), WATCH]))).toBe('WATCH_ONLY');
    const swapped = await errorOf(s.provider.request(APP, 'personal_sign', [A1, hex('x')]));
    expect([swapped.code, swapped.message.includes('address comes second')]).toEqual(['BAD_INPUT', true]);
    const r = pendingOf(await s.provider.request(APP, 'personal_sign', [hex('x'), A1]));
    s.provider.revoke(APP, 'accounts');
    expect(await codeOf(s.provider.decide(r.id, true))).toBe('PERMISSION_DENIED');
    expect(s.wallet.calls.personal).toEqual([]);
  });
});

describe('eth_signTypedData_v4 (EIP-712)', () => {
  it('shows the domain and every message field, nested structs and arrays flattened with dotted labels', async () => {
    const s = setup();
    await connect(s, [A1]);
    const r = pendingOf(await s.provider.request(APP, 'eth_signTypedData_v4', [A1, JSON.stringify(mail())]));
    expect(PendingRequest.parse(r)).toEqual(r);
    expect(r.kind).toBe('typed-data');
    expect(r.title).toBe('Swap asks you to sign Mail');
    expect(r.rows.map((x) => [x.label, x.value])).toEqual([
      ['Account', `Account 1 (${A1})`],
      ['App', 'Ether Mail'],
      ['Version', '1'],
      ['Chain', 'BitUnicom devnet (chain 1698100)'],
      ['Contract', '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC'],
      ['Type', 'Mail'],
      ['from.name', 'Cow'],
      ['from.wallet', '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826'],
      ['to.name', 'Bob'],
      ['to.wallet', `Account 2 (${A2})`],
      ['contents', 'Hello, Bob!'],
      ['cc[0].name', 'Ann'],
      ['cc[0].wallet', `Account 1 (${A1})`],
    ]);
    expect(r.warnings).toEqual([]);
    expect(await s.provider.decide(r.id, true)).toEqual({ kind: 'result', result: `0x${'22'.repeat(65)}` });
    const signed = s.wallet.calls.typed[0]!;
    expect(signed.from).toBe(A1);
    expect(Object.keys(signed.typed.types).sort()).toEqual(['Mail', 'Person']); // unused types dropped
    expect(signed.typed.domain.chainId).toBe(DEVNET.chainId);
  });

  it('refuses a domain chainId other than the selected chain, and a chain switch while it waited', async () => {
    const s = setup();
    await connect(s, [A1]);
    const wrong = await errorOf(s.provider.request(APP, 'eth_signTypedData_v4', [A1, mail(1)]));
    expect(wrong.code).toBe('WRONG_NETWORK');
    expect(wrong.message).toContain('chain id 1');
    const hexId = pendingOf(await s.provider.request(APP, 'eth_signTypedData_v4', [A1, mail(`0x${DEVNET.chainId.toString(16)}`)]));
    s.wallet.selectNetwork(SECOND.id);
    const moved = await errorOf(s.provider.decide(hexId.id, true));
    expect([moved.code, moved.message.includes('switched')]).toEqual(['WRONG_NETWORK', true]);
    expect(s.wallet.calls.typed).toEqual([]);
  });

  it('warns when no chain is named and on permits, unlimited ones in capitals', async () => {
    const s = setup();
    await connect(s, [A1]);
    const permit = {
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      domain: { name: 'tBUT', version: '1', verifyingContract: TOKEN },
      message: { owner: A1, spender: A2, value: ((1n << 256n) - 1n).toString(), nonce: 0, deadline: 1e10 },
    };
    const r = pendingOf(await s.provider.request(APP, 'eth_signTypedData_v4', [A1, permit]));
    expect(r.rows.find((x) => x.label === 'Chain')!.value).toBe('any chain (the message names none)');
    expect(r.rows.find((x) => x.label === 'Contract')!.value).toBe(`tBUT token (${TOKEN})`);
    expect(r.warnings[0]).toContain('any network');
    expect(r.warnings[1]).toContain(`Account 2 (${A2}) spend ALL of your tokens`);
  });

  it('refuses malformed typed data in words', async () => {
    const s = setup();
    await connect(s, [A1]);
    for (const bad of ['not json', '{}', { ...mail(), primaryType: 'Nope' }, { ...mail(), message: { ...mail().message, from: { name: 'x', wallet: 'nope' } } }]) {
      expect(await codeOf(s.provider.request(APP, 'eth_signTypedData_v4', [A1, bad]))).toBe('BAD_INPUT');
    }
  });

  it('caps the rows of a huge message', () => {
    const w = fakeWallet();
    const typed = readTypedData({ types: { Big: [{ name: 'xs', type: 'uint256[]' }] }, primaryType: 'Big', domain: {}, message: { xs: Array.from({ length: 250 }, (_, i) => i) } }, DEVNET);
    const f = flattenMessage(w, typed, 200);
    expect([f.rows.length, f.hidden, f.rows[0]]).toEqual([200, 50, { label: 'xs[0]', value: '0' }]);
  });
});
