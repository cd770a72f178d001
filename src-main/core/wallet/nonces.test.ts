import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from '../crypto';
import { WalletAccounts } from './accounts';
import type { WalletSigner } from './account-keys';
import { startAnvil, type Anvil } from './anvil-fixture';
import { replacementFees } from './fees';
import { NonceTracker } from './nonces';
import { RpcClient } from './rpc-client';

const M = 'test test test test test test test test test test test junk';
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const GWEI = 1_000_000_000n;
const FEES = { maxPriorityFeePerGas: GWEI, maxFeePerGas: 3n * GWEI };

let dir: string;
let file: string;
let wallet: WalletAccounts;
let me: WalletSigner;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bu-nonces-'));
  wallet = await WalletAccounts.open({ file: join(dir, 'wallet.json'), secret: { kind: 'mnemonic', mnemonic: M }, wrapKey: randomBytes(32) });
  me = wallet.signer(wallet.list()[0]!.address);
});
afterAll(() => {
  wallet.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
beforeEach(() => {
  file = join(dir, `nonces-${n++}.json`);
});

const sign = (nonce: bigint, fees = FEES, value = 1n) => me.signTransaction({ chainId: 31337n, nonce, to: BOB, value, gasLimit: 21_000n, ...fees });
const send = (rpc: RpcClient, raw: string) => rpc.call<string>('eth_sendRawTransaction', [raw]);

describe('nonces on anvil --no-mining', () => {
  let anvil: Anvil;
  let rpc: RpcClient;
  beforeEach(async () => {
    anvil = await startAnvil({ mnemonic: M, args: ['--no-mining'] });
    rpc = new RpcClient(anvil.url, { timeoutMs: 3000 });
  });
  afterEach(() => anvil.stop());

  it('gives consecutive nonces to rapid concurrent sends, and refresh settles them once mined', async () => {
    const t = NonceTracker.open(file);
    const nonces = await Promise.all([0, 1, 2, 3, 4].map(() => t.next(rpc, 31337n, me.address)));
    expect(nonces).toEqual([0n, 1n, 2n, 3n, 4n]);
    const hashes = await Promise.all(nonces.map(async (k) => {
      const raw = sign(k);
      const h = await send(rpc, raw);
      expect(t.confirm(raw).hash).toBe(h);
      return h;
    }));
    expect(t.pending(31337n, me.address).map((p) => p.nonce)).toEqual(nonces);
    expect(await t.refresh(rpc)).toEqual([]); // nothing mined yet
    expect(await t.next(rpc, 31337, me.address.toLowerCase())).toBe(5n);
    t.release(31337n, me.address, 5n);
    await rpc.call('evm_mine');
    const settled = await t.refresh(rpc);
    // settled in any order (the concurrent sends confirm in the order their RPC calls return)
    expect(settled.map((s) => [s.hash, s.outcome]).sort()).toEqual(hashes.map((h) => [h, 'mined']).sort());
    expect(t.pending(31337n, me.address)).toEqual([]);
  });

  it('survives reopening its file, and a speed-up recorded with markReplaced wins', async () => {
    const t = NonceTracker.open(file);
    const k = await t.next(rpc, 31337n, me.address);
    const raw = sign(k);
    const first = await send(rpc, raw);
    t.confirm(raw);

    const again = NonceTracker.open(file);
    expect(again.loadProblem).toBeNull();
    const [p] = again.pending(31337n, me.address);
    expect(p).toMatchObject({ hash: first, nonce: 0n, raw, ...FEES, from: me.address });
    const faster = sign(p!.nonce, replacementFees(p!), 2n);
    const second = await send(rpc, faster);
    again.markReplaced(first, faster);
    expect(again.pending(31337n, me.address).map((x) => x.hash)).toEqual([second]);

    const third = NonceTracker.open(file); // the replacement is persisted too
    await rpc.call('evm_mine');
    const out = await third.refresh(rpc);
    expect(out.map((o) => [o.hash, o.outcome])).toEqual([
      [first, 'replaced'],
      [second, 'mined'],
    ]);
    expect(await third.next(rpc, 31337n, me.address)).toBe(1n);
  });

  it('reports a transaction dropped when its nonce was mined by another one it did not know', async () => {
    const t = NonceTracker.open(file);
    const raw = sign(await t.next(rpc, 31337n, me.address));
    const mine = await send(rpc, raw);
    t.confirm(raw);
    await send(rpc, sign(0n, replacementFees(FEES), 9n)); // another client replaced it
    await rpc.call('evm_mine');
    expect(await t.refresh(rpc)).toEqual([{ hash: mine, chainId: 31337n, from: me.address, nonce: 0n, outcome: 'dropped' }]);
  });

  it('reuses released nonces and never resets while a reservation is open', async () => {
    const t = NonceTracker.open(file);
    expect(await t.next(rpc, 31337n, me.address)).toBe(0n);
    expect(await t.next(rpc, 31337n, me.address)).toBe(1n); // node count still 0: the open reservation holds it
    t.release(31337n, me.address, 0n);
    expect(await t.next(rpc, 31337n, me.address)).toBe(0n); // the gap is filled first
    expect(await t.next(rpc, 31337n, me.address)).toBe(2n);
    t.release(31337n, me.address, 2n);
    expect(() => t.release(31337n, me.address, 2n)).toThrow(/not reserved/);
    expect(() => t.release(31337n, 'nope', 1n)).toThrow(/address/i);
    expect(() => t.confirm('0x1234')).toThrow(/signed EIP-2718/);
  });

  it('does not wedge after the chain is reset: pending txs of the old chain are dropped and next() is 0 again', async () => {
    const t = NonceTracker.open(file);
    for (let i = 0; i < 3; i++) {
      const raw = sign(await t.next(rpc, 31337n, me.address));
      await send(rpc, raw);
      t.confirm(raw);
    }
    await rpc.call('evm_mine');
    expect((await t.refresh(rpc)).map((o) => o.outcome)).toEqual(['mined', 'mined', 'mined']);
    const raw = sign(await t.next(rpc, 31337n, me.address)); // nonce 3, pending on the old chain
    const lost = await send(rpc, raw);
    t.confirm(raw);
    await anvil.stop();

    anvil = await startAnvil({ mnemonic: M, args: ['--no-mining'] }); // fresh chain, count 0
    rpc = new RpcClient(anvil.url, { timeoutMs: 3000 });
    const reopened = NonceTracker.open(file);
    expect(reopened.pending(31337n, me.address).map((p) => p.nonce)).toEqual([3n]);
    const k = await reopened.next(rpc, 31337n, me.address);
    expect(k).toBe(0n);
    const fresh = sign(k);
    await send(rpc, fresh);
    reopened.confirm(fresh);
    expect(await reopened.refresh(rpc)).toEqual([{ hash: lost, chainId: 31337n, from: me.address, nonce: 3n, outcome: 'dropped' }]);
    await rpc.call('evm_mine');
    expect((await reopened.refresh(rpc)).map((o) => o.outcome)).toEqual(['mined']);
  });
});

describe('nonce file', () => {
  it('moves a damaged file aside and starts empty', () => {
    writeFileSync(file, '{ not json');
    const t = NonceTracker.open(file);
    expect(t.loadProblem).toMatch(/damaged/);
    expect(existsSync(`${file}.corrupt`)).toBe(true);
    expect(t.pending(31337n, BOB)).toEqual([]);
    expect(() => t.pending(0, BOB)).toThrow(/chain id/);
  });

  it('stores bigints as decimal text, atomically', async () => {
    const anvil = await startAnvil({ mnemonic: M, args: ['--no-mining'] });
    try {
      const rpc = new RpcClient(anvil.url, { timeoutMs: 3000 });
      const t = NonceTracker.open(file);
      const raw = sign(await t.next(rpc, 31337n, me.address));
      t.confirm(raw);
      const s = JSON.parse(readFileSync(file, 'utf8'));
      expect(s.version).toBe(1);
      expect(s.accounts[`31337:${me.address}`]).toMatchObject({ next: '1', txs: [{ nonce: '0', maxFeePerGas: '3000000000', raw }] });
    } finally {
      await anvil.stop();
    }
  });
});
