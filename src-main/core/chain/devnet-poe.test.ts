/**
 * Devnet materialisation with POE (devnet.ts + staking-params.ts): the staking contract lands
 * in the genesis alloc at `bitunicom.poe.stakingAddress` holding the initial stakes, the test
 * token is still deployed beside it, the result survives a JSON round trip as a plain geth
 * genesis, and bad sections or initial sets are refused with the contract's reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAddressFromString, generateAddress, bytesToHex } from '@ethereumjs/util';
import { isBuError } from '../base';
import { loadArtifact } from './artifacts';
import { materializeDevnet, type PoeGenesisSet } from './devnet';
import { Ledger } from './ledger';
import { parseGenesis } from './genesis';
import { testBlsKeys, TOKEN } from './poe-test-chain';
import { readValidatorSet } from './staking';
import { POE_STAKING_ADDRESS, parseStakingSection, stakingParams } from './staking-params';
import { RESOURCES_DIR, testAccounts } from './test-genesis';

const TEMPLATE = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
const load = (n: string) => loadArtifact(RESOURCES_DIR, n);
const accts = testAccounts(4);
const keys = testBlsKeys(4, 300);
const AT = POE_STAKING_ADDRESS.toLowerCase();
const set: PoeGenesisSet = {
  primaries: [
    { address: accts[1]!.address, publicKey: keys[0]!.publicKey, stake: 1_000n * TOKEN },
    { address: accts[2]!.address, publicKey: keys[1]!.publicKey, stake: 3_000n * TOKEN },
  ],
  sealers: [{ address: accts[3]!.address, publicKey: keys[2]!.publicKey, stake: 100n * TOKEN }],
};
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
};

describe('materializeDevnet with bitunicom.poe', () => {
  it('deploys PoeStaking at the staking address with the initial set and its stakes as balance', async () => {
    const g = await materializeDevnet(TEMPLATE, accts[0]!.address, load, 1_700_000_000_000, { poe: set });
    const entry = g.alloc[AT]!;
    expect(BigInt(entry.balance)).toBe(4_100n * TOKEN);
    expect(entry.nonce).toBe('0x1');
    // runtime code with the immutables (minimums, unbonding) filled in: same length as the
    // artifact's deployedBytecode, different bytes only where the immutables are
    const runtime = load('PoeStaking').deployedBytecode;
    expect(entry.code!.length).toBe(runtime.length);
    expect(entry.code).not.toBe(runtime);
    expect(Object.keys(entry.storage!).length).toBeGreaterThan(10);
    // the token is still there, at CREATE(0x…b175, 0), and the wallet is prefunded
    const token = bytesToHex(generateAddress(createAddressFromString('0x000000000000000000000000000000000000b175').bytes, new Uint8Array()));
    // …and the DApp registry beside it, from its own deployer (0x…da99), so the token's address does not move
    const registry = bytesToHex(generateAddress(createAddressFromString('0x000000000000000000000000000000000000da99').bytes, new Uint8Array()));
    expect(g.bitunicom.contracts.map((c) => [c.artifact, c.address])).toEqual([
      ['BitUnicomTestToken', token],
      ['DappRegistry', registry],
      // …and the Token Poll sample dapp's contract (its own deployer 0x…9011)
      ['TokenPoll', bytesToHex(generateAddress(createAddressFromString('0x0000000000000000000000000000000000009011').bytes, new Uint8Array()))],
    ]);
    expect(g.alloc[token]?.code).toMatch(/^0x[0-9a-f]+$/);
    expect(BigInt(g.alloc[accts[0]!.address]!.balance)).toBe(10_000n * TOKEN);
    expect(g.bitunicom.poe).toEqual(JSON.parse(TEMPLATE).bitunicom.poe);

    // a plain geth genesis: through JSON and back, the ledger reads the same set at block 0
    const ledger = await Ledger.open({ file: ':memory:', genesis: parseGenesis(JSON.stringify(g)) });
    try {
      const vs = await readValidatorSet(ledger, ledger.head.header);
      expect(vs.primaries.map((v) => [v.address, v.index, v.stake])).toEqual([
        [accts[1]!.address, 0, 1_000n * TOKEN],
        [accts[2]!.address, 1, 3_000n * TOKEN],
      ]);
      expect(vs.sealers.map((v) => [v.address, v.index, v.publicKey])).toEqual([[accts[3]!.address, 0, keys[2]!.publicKey]]);
      expect([vs.totalPrimaryStake, vs.totalSealerStake]).toEqual([4_000n * TOKEN, 100n * TOKEN]);
      const account = await ledger.stateAt(ledger.head.header).getAccount(createAddressFromString(AT));
      expect(account?.balance).toBe(4_100n * TOKEN);
    } finally {
      await ledger.close();
    }
  });

  it('is deterministic, and an omitted set deploys an empty contract', async () => {
    const a = await materializeDevnet(TEMPLATE, accts[0]!.address, load, 1_700_000_000_000, { poe: set });
    const b = await materializeDevnet(TEMPLATE, accts[0]!.address, load, 1_700_000_000_000, { poe: set });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const empty = await materializeDevnet(TEMPLATE, accts[0]!.address, load, 1_700_000_000_000);
    expect(empty.alloc[AT]!.balance).toBe('0x0');
    expect(empty.alloc[AT]!.code).toBe(a.alloc[AT]!.code); // same parameters, same code
    const ledger = await Ledger.open({ file: ':memory:', genesis: empty });
    try {
      expect(await readValidatorSet(ledger, ledger.head.header)).toEqual({ primaries: [], sealers: [], totalPrimaryStake: 0n, totalSealerStake: 0n });
    } finally {
      await ledger.close();
    }
  });

  it("refuses an initial set the constructor refuses, with the contract's reason", async () => {
    const bad = async (poe: PoeGenesisSet) => (await failure(materializeDevnet(TEMPLATE, accts[0]!.address, load, 0, { poe }))).message;
    const p = set.primaries[0]!;
    expect(await bad({ primaries: [{ ...p, publicKey: p.publicKey.subarray(0, 47) }], sealers: [] })).toMatch(/PoeStaking failed to deploy: BadPubkeyLength\(47\)/);
    expect(await bad({ primaries: [{ ...p, stake: 999n * TOKEN }], sealers: [] })).toMatch(/StakeTooLow\(999000000000000000000, 1000000000000000000000\)/);
    expect(await bad({ primaries: [p], sealers: [{ ...set.sealers[0]!, publicKey: p.publicKey }] })).toMatch(/PubkeyTaken\(/);
    expect(await bad({ primaries: [p], sealers: [{ ...set.sealers[0]!, address: p.address }] })).toMatch(/AlreadyRegistered\(/);
  });

  it('refuses a set without a section, a bad section and an occupied address', async () => {
    const t = JSON.parse(TEMPLATE);
    delete t.bitunicom.poe;
    const noSection = await failure(materializeDevnet(JSON.stringify(t), accts[0]!.address, load, 0, { poe: set }));
    expect(isBuError(noSection, 'BAD_INPUT')).toBe(true);
    expect(noSection.message).toMatch(/no "bitunicom.poe" section/);
    // without a section and without a set: no contract, as before POE
    const plain = await materializeDevnet(JSON.stringify(t), accts[0]!.address, load, 0);
    expect(plain.alloc[AT]).toBeUndefined();

    const withSection = (poe: unknown) => {
      const c = JSON.parse(TEMPLATE);
      c.bitunicom.poe = poe;
      return materializeDevnet(JSON.stringify(c), accts[0]!.address, load, 0);
    };
    const base = JSON.parse(TEMPLATE).bitunicom.poe;
    expect((await failure(withSection({ ...base, stakingAddress: '0x1234' }))).message).toMatch(/stakingAddress is not an address/);
    expect((await failure(withSection({ ...base, minPrimaryStake: 1000 }))).message).toMatch(/minPrimaryStake must be a decimal string/);
    expect((await failure(withSection({ ...base, unbondingBlocks: -1 }))).message).toMatch(/unbondingBlocks must be an integer/);

    const occupied = JSON.parse(TEMPLATE);
    occupied.alloc[AT] = { balance: '0x1' };
    expect((await failure(materializeDevnet(JSON.stringify(occupied), accts[0]!.address, load, 0))).message).toMatch(/already in the genesis alloc/);
  });
});

describe('stakingParams', () => {
  it("reads the template's staking fields as bigints, and null without a section", () => {
    expect(stakingParams(JSON.parse(TEMPLATE))).toEqual({
      stakingAddress: '0x0000000000000000000000000000000000005EA1',
      minPrimaryStake: 1_000n * TOKEN,
      minSealerStake: 100n * TOKEN,
      unbondingBlocks: 64n,
    });
    expect(stakingParams({ bitunicom: {} })).toBeNull();
    expect(stakingParams(null)).toBeNull();
    // the address defaults to 0x…5EA1 and is checksummed
    expect(parseStakingSection({ minPrimaryStake: '1', minSealerStake: '1', unbondingBlocks: 0 }).stakingAddress).toBe(POE_STAKING_ADDRESS);
    expect(parseStakingSection({ stakingAddress: '0x00000000000000000000000000000000000000aa', minPrimaryStake: '1', minSealerStake: '1', unbondingBlocks: 0 }).stakingAddress).toBe(
      '0x00000000000000000000000000000000000000AA',
    );
    expect(() => parseStakingSection('x')).toThrow(/not an object/);
  });
});
