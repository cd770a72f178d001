import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { ChainService, blsVerifyPrecompile, loadArtifact, materializeDevnet, readValidatorSet, RESOURCES_DIR, testAccounts } from '../chain';
import { sealerKeyFromWalletKey } from './sealing-keys';
import { sendStakeAction, stakeInfo } from './staking-actions';

const [A] = testAccounts(1) as [ReturnType<typeof testAccounts>[0]];
const wallet = { privateKey: hexToBytes(A.key), address: A.address };
const sealer = sealerKeyFromWalletKey(wallet.privateKey);
let service: ChainService | null = null;
let dir = '';
afterEach(async () => {
  await service?.close();
  service = null;
  rmSync(dir, { recursive: true, force: true });
});

async function start(registered: boolean): Promise<ChainService> {
  dir = mkdtempSync(join(tmpdir(), 'bu-stake-'));
  const template = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
  const poe = { primaries: [], sealers: registered ? [{ address: A.address, publicKey: sealer.publicKey, stake: 100n * 10n ** 18n }] : [] };
  const genesis = await materializeDevnet(template, A.address, (n) => loadArtifact(RESOURCES_DIR, n), Date.now(), { poe });
  // the devnet producer makes the blocks here (fast), so the unbonding delay passes quickly
  service = await ChainService.start({ dir, genesis, producer: { intervalMs: 15, batchDelayMs: 1 }, precompiles: [blsVerifyPrecompile()], rpc: null, clientVersion: 'test' });
  return service;
}

async function mined(s: ChainService, hash: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!s.ledger.txLocation(hexToBytes(hash as `0x${string}`))) {
    if (Date.now() > end) throw new Error('not mined');
    await new Promise((r) => setTimeout(r, 20));
  }
  const { block, index } = s.ledger.txLocation(hexToBytes(hash as `0x${string}`))!;
  expect(s.ledger.receipts(block)[index]!.status).toBe(1);
}

describe('staking actions (the user becomes, leaves and stops being a sealer)', () => {
  it('registers with the minimum stake and a proof of possession; the set lists the sealer key', async () => {
    const s = await start(false);
    expect((await stakeInfo(s, A.address)).status).toBe('none');
    await expect(sendStakeAction(s, wallet, sealer, { action: 'register', stakeWei: 1n })).rejects.toThrow(/at least/);
    await mined(s, await sendStakeAction(s, wallet, sealer, { action: 'register' }));
    const info = await stakeInfo(s, A.address);
    expect(info).toMatchObject({ status: 'active', stakeWei: (100n * 10n ** 18n).toString() });
    const set = await readValidatorSet(s.ledger, s.ledger.head.header);
    expect(set.sealers.map((v) => v.address)).toContain(A.address.toLowerCase());
    expect(Buffer.from(set.sealers[0]!.publicKey)).toEqual(Buffer.from(sealer.publicKey));
    await expect(sendStakeAction(s, wallet, sealer, { action: 'register' })).rejects.toThrow(/already registered/);
  }, 60_000);

  it('exits, refuses an early withdrawal, then pays the stake back after the unbonding delay', async () => {
    const s = await start(true);
    expect((await stakeInfo(s, A.address)).status).toBe('active');
    await expect(sendStakeAction(s, wallet, sealer, { action: 'withdraw' })).rejects.toThrow(/no stake to withdraw/);
    await mined(s, await sendStakeAction(s, wallet, sealer, { action: 'exit' }));
    const exiting = await stakeInfo(s, A.address);
    expect(exiting.status).toBe('exiting');
    await expect(sendStakeAction(s, wallet, sealer, { action: 'withdraw' })).rejects.toThrow(/unbonds until block/);
    while (s.ledger.head.header.number < BigInt(exiting.withdrawableAt!)) await new Promise((r) => setTimeout(r, 50));
    const before = (await s.ledger.stateAt(s.ledger.head.header).getAccount(createAddressFromString(A.address)))!.balance;
    const hash = await sendStakeAction(s, wallet, sealer, { action: 'withdraw' });
    await mined(s, hash);
    const after = (await s.ledger.stateAt(s.ledger.head.header).getAccount(createAddressFromString(A.address)))!.balance;
    expect(after - before).toBeGreaterThan(99n * 10n ** 18n); // 100 tokens back, minus the gas
    expect((await stakeInfo(s, A.address)).status).toBe('none');
  }, 90_000);
});
