/**
 * The node's own sealer key and its registration: the key follows from the recovery phrase
 * (same phrase → same key, the raw-key form of the same wallet → same key) and its BLS public
 * key matches its secret; the sealing host reads the staking contract at the head and counts
 * as registered exactly when our address is in its sealer list.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEALING_REASONS } from '../../../src-preload/contract';
import { deriveIdentity, mnemonicToSeed, walletAccountPath } from '../account';
import { silentLogger } from '../base';
import { Ledger, blsVerifyPrecompile, loadArtifact, materializeDevnet } from '../chain';
import { RESOURCES_DIR } from '../chain/testing';
import { blsPublicKey } from '../crypto';
import { SealingHost } from './sealing-host';
import { sealerKeyOf } from './sealing-keys';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const OTHER = 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the sealer key', () => {
  it('is derived from the wallet account, deterministically, and differs per wallet', () => {
    const a = sealerKeyOf({ kind: 'mnemonic', mnemonic: MNEMONIC });
    const wallet = deriveIdentity(mnemonicToSeed(MNEMONIC), walletAccountPath(0));
    expect(a.address).toBe(wallet.address);
    expect(sealerKeyOf({ kind: 'key', privateKey: wallet.privateKey })).toEqual(a);
    expect(Buffer.from(blsPublicKey(a.secretKey)).equals(Buffer.from(a.publicKey))).toBe(true);
    expect(a.publicKey.length).toBe(48);
    expect(Buffer.from(sealerKeyOf({ kind: 'mnemonic', mnemonic: OTHER }).secretKey).equals(Buffer.from(a.secretKey))).toBe(false);
  });
});

describe('registration from the staking contract', () => {
  it('is registered only when our address is a sealer at the head', async () => {
    const me = sealerKeyOf({ kind: 'mnemonic', mnemonic: MNEMONIC });
    const other = sealerKeyOf({ kind: 'mnemonic', mnemonic: OTHER });
    const template = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
    const genesis = await materializeDevnet(template, me.address, (n) => loadArtifact(RESOURCES_DIR, n), Date.now(), {
      poe: { primaries: [], sealers: [{ address: me.address, publicKey: me.publicKey, stake: 100n * 10n ** 18n }] },
    });
    const dir = mkdtempSync(join(tmpdir(), 'bu-sealing-reg-'));
    dirs.push(dir);
    const ledger = await Ledger.open({ file: join(dir, 'chain.db'), genesis, precompiles: [blsVerifyPrecompile()] });
    const host = new SealingHost({ dataDir: dir, logger: silentLogger, wallet: me.address, ledgerOf: () => ledger });
    try {
      host.setIdle('idle');
      expect(host.status().reason).toBe(SEALING_REASONS.locked);
      await host.setKeys([{ address: other.address, secretKey: other.secretKey }]);
      expect(await host.refreshRegistration()).toBe(false);
      expect(host.status().reason).toBe(SEALING_REASONS.unregistered);
      await host.setKeys([{ address: me.address, secretKey: me.secretKey }]);
      expect(await host.refreshRegistration()).toBe(true);
      expect(host.status()).toMatchObject({ state: 'sealing', reason: null });
      await host.setKeys(null);
      expect(host.status().reason).toBe(SEALING_REASONS.locked);
    } finally {
      await host.close();
      await ledger.close();
    }
  });
});
