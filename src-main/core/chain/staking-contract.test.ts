/**
 * PoeStaking on a real ledger with the BLS precompile: registration rules (stake minimum,
 * proof of possession, one key per address, unique keys), exit and withdrawal after the
 * unbonding period, equivocation slashing and every way a report is refused. Transactions are
 * mined in blocks; revert reasons come from the same call simulated at the head.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidityPackedKeccak256, getAddress } from 'ethers';
import { hexToBytes } from '@ethereumjs/util';
import { blsPopProve, blsSign } from '../crypto';
import { poeTestChain, testBlsKeys, TOKEN, CHAIN_ID, type PoeTestChain } from './poe-test-chain';
import { testAccounts } from './test-genesis';
import { encodeRegister, encodeReportEquivocation, encodeRequestExit, encodeTopUp, encodeWithdraw, readValidatorSet, stakingInterface } from './staking';

const UNBONDING = 5;
const BURN = '0x000000000000000000000000000000000000dEaD';
const STAKING = '0x0000000000000000000000000000000000005EA1';
const [gP, gS, k2, k3, k4, k5] = testBlsKeys(6);

/** The POE signing digest, computed here with ethers' packed encoding (independently of core/seal). */
function poeDigest(kind: number, height: bigint, round: number, data: Uint8Array): Uint8Array {
  return hexToBytes(
    solidityPackedKeccak256(['bytes6', 'uint8', 'uint64', 'uint64', 'uint32', 'bytes32'], ['0x' + Buffer.from('BUPOE1').toString('hex'), kind, CHAIN_ID, height, round, data]) as `0x${string}`,
  );
}
const blockHash = (s: string) => hexToBytes(solidityPackedKeccak256(['string'], [s]) as `0x${string}`);

describe('PoeStaking on the ledger', () => {
  let c: PoeTestChain;
  let acct: PoeTestChain['accounts'];

  beforeAll(async () => {
    const a = testAccounts(2);
    c = await poeTestChain({
      accounts: 7,
      unbondingBlocks: UNBONDING,
      poe: {
        primaries: [{ address: a[0]!.address, publicKey: gP!.publicKey, stake: 5_000n * TOKEN }],
        sealers: [{ address: a[1]!.address, publicKey: gS!.publicKey, stake: 200n * TOKEN }],
      },
    });
    acct = c.accounts;
  });
  afterAll(() => c.close());

  const expectRevert = async (from: number, data: string, value: bigint, error: string) => {
    expect((await c.simulate(acct[from]!.address, data, value)).error).toBe(error);
    const mined = await c.send(acct[from]!, data, value);
    expect(mined.status).toBe(0);
  };

  it('starts with the genesis set and the template parameters', async () => {
    const set = await readValidatorSet(c.ledger, c.ledger.head.header);
    expect(set.primaries.map((v) => [v.address, v.index, v.role, v.stake])).toEqual([[acct[0]!.address, 0, 1, 5_000n * TOKEN]]);
    expect(set.sealers.map((v) => [v.address, v.index, v.role, v.stake])).toEqual([[acct[1]!.address, 0, 2, 200n * TOKEN]]);
    expect(await c.balance(STAKING)).toBe(5_200n * TOKEN);
    const p = await c.simulate(acct[0]!.address, stakingInterface.encodeFunctionData('params'));
    expect(stakingInterface.decodeFunctionResult('params', p.returnValue).toArray()).toEqual([1_000n * TOKEN, 100n * TOKEN, BigInt(UNBONDING)]);
  });

  it('refuses too little stake, a bad role, a bad PoP, a PoP for another address and a short key', async () => {
    const pop2 = blsPopProve(k2!.secretKey, acct[2]!.address);
    await expectRevert(2, encodeRegister('primary', k2!.publicKey, pop2), 999n * TOKEN, `StakeTooLow(${999n * TOKEN}, ${1_000n * TOKEN})`);
    await expectRevert(2, encodeRegister('sealer', k2!.publicKey, pop2), 99n * TOKEN, `StakeTooLow(${99n * TOKEN}, ${100n * TOKEN})`);
    const badRole = stakingInterface.encodeFunctionData('register', [3, k2!.publicKey, pop2]);
    await expectRevert(2, badRole, 1_000n * TOKEN, 'BadRole(3)');
    // a PoP made for account 3 does not register the key for account 2
    await expectRevert(2, encodeRegister('sealer', k2!.publicKey, blsPopProve(k2!.secretKey, acct[3]!.address)), 100n * TOKEN, 'BadProofOfPossession()');
    // a signature by another key
    await expectRevert(2, encodeRegister('sealer', k2!.publicKey, blsPopProve(k3!.secretKey, acct[2]!.address)), 100n * TOKEN, 'BadProofOfPossession()');
    await expectRevert(2, encodeRegister('sealer', k2!.publicKey.subarray(0, 47), pop2), 100n * TOKEN, 'BadPubkeyLength(47)');
    await expectRevert(2, encodeRegister('sealer', k2!.publicKey, pop2.subarray(0, 95)), 100n * TOKEN, 'BadSignatureLength(95)');
    expect((await readValidatorSet(c.ledger, c.ledger.head.header)).sealers).toHaveLength(1);
  });

  it('registers with a valid PoP, logs Registered, and validators() lists it in order', async () => {
    const before = c.ledger.head.header;
    const mined = await c.send(acct[2]!, encodeRegister('sealer', k2!.publicKey, blsPopProve(k2!.secretKey, acct[2]!.address)), 150n * TOKEN);
    expect(mined.status).toBe(1);
    expect(mined.logs.map((l) => [l?.name, ...(l?.args.toArray() ?? [])])).toEqual([
      ['Registered', getAddress(acct[2]!.address), 2n, '0x' + Buffer.from(k2!.publicKey).toString('hex'), 150n * TOKEN],
    ]);
    const set = await readValidatorSet(c.ledger, c.ledger.head.header);
    expect(set.sealers.map((v) => [v.address, v.index, v.stake])).toEqual([
      [acct[1]!.address, 0, 200n * TOKEN],
      [acct[2]!.address, 1, 150n * TOKEN],
    ]);
    expect(set.sealers[1]!.publicKey).toEqual(k2!.publicKey);
    expect(set.totalSealerStake).toBe(350n * TOKEN);
    // the set of an earlier block is unchanged
    expect((await readValidatorSet(c.ledger, before)).sealers).toHaveLength(1);
    // a second registration by the same address, and the same key by someone else (with a valid PoP)
    await expectRevert(2, encodeRegister('primary', k3!.publicKey, blsPopProve(k3!.secretKey, acct[2]!.address)), 1_000n * TOKEN, `AlreadyRegistered(${getAddress(acct[2]!.address)})`);
    await expectRevert(3, encodeRegister('sealer', k2!.publicKey, blsPopProve(k2!.secretKey, acct[3]!.address)), 100n * TOKEN, `PubkeyTaken(${getAddress(acct[2]!.address)})`);
    await expectRevert(3, encodeRegister('primary', gP!.publicKey, blsPopProve(gP!.secretKey, acct[3]!.address)), 1_000n * TOKEN, `PubkeyTaken(${getAddress(acct[0]!.address)})`);
  });

  it('tops up an active stake', async () => {
    const mined = await c.send(acct[2]!, encodeTopUp(), 10n * TOKEN);
    expect(mined.logs.map((l) => [l?.name, ...(l?.args.toArray() ?? [])])).toEqual([['ToppedUp', getAddress(acct[2]!.address), 10n * TOKEN, 160n * TOKEN]]);
    await expectRevert(4, encodeTopUp(), 1n, `NotActive(${getAddress(acct[4]!.address)})`);
  });

  it('exit leaves the set now; withdraw reverts until the unbonding period has passed, then pays back exactly', async () => {
    const who = acct[2]!;
    await expectRevert(2, encodeWithdraw(), 0n, `NotExiting(${getAddress(who.address)})`);
    const exit = await c.send(who, encodeRequestExit());
    const exitBlock = c.ledger.head.header.number;
    expect(exit.logs.map((l) => [l?.name, ...(l?.args.toArray() ?? [])])).toEqual([['ExitRequested', getAddress(who.address), 160n * TOKEN, exitBlock + BigInt(UNBONDING)]]);
    expect((await readValidatorSet(c.ledger, c.ledger.head.header)).sealers.map((v) => v.address)).toEqual([acct[1]!.address]);
    await expectRevert(2, encodeRequestExit(), 0n, `NotActive(${getAddress(who.address)})`);
    // mined at exitBlock + 2 … exitBlock + UNBONDING - 1: still unbonding
    while (c.ledger.head.header.number + 1n < exitBlock + BigInt(UNBONDING)) {
      await expectRevert(2, encodeWithdraw(), 0n, `StillUnbonding(${exitBlock + BigInt(UNBONDING)})`);
    }
    const staked = await c.balance(STAKING);
    const before = await c.balance(who.address);
    const w = await c.send(who, encodeWithdraw());
    expect(c.ledger.head.header.number).toBe(exitBlock + BigInt(UNBONDING));
    expect(w.status).toBe(1);
    expect(w.logs.map((l) => [l?.name, ...(l?.args.toArray() ?? [])])).toEqual([['Withdrawn', getAddress(who.address), 160n * TOKEN]]);
    expect(await c.balance(who.address)).toBe(before - w.gasCost + 160n * TOKEN);
    expect(await c.balance(STAKING)).toBe(staked - 160n * TOKEN);
    await expectRevert(2, encodeWithdraw(), 0n, `NotExiting(${getAddress(who.address)})`);
    // the same address may come back with its own key
    const again = await c.send(who, encodeRegister('sealer', k2!.publicKey, blsPopProve(k2!.secretKey, who.address)), 100n * TOKEN);
    expect(again.status).toBe(1);
  });

  describe('reportEquivocation', () => {
    const h = 40n;
    const r = 1;
    const A = blockHash('block A');
    const B = blockHash('block B');
    const offender = () => acct[0]!.address; // the genesis primary, key gP
    const report = (o: Partial<Parameters<typeof encodeReportEquivocation>[0]> = {}) =>
      encodeReportEquivocation({
        offender: offender(),
        kind: 6,
        height: h,
        round: r,
        dataA: A,
        sigA: blsSign(gP!.secretKey, poeDigest(6, h, r, A)),
        dataB: B,
        sigB: blsSign(gP!.secretKey, poeDigest(6, h, r, B)),
        ...o,
      });

    it('refuses the same data twice, a non-equivocation kind, another key, other heights or rounds, a non-staker', async () => {
      const sigA = blsSign(gP!.secretKey, poeDigest(6, h, r, A));
      await expectRevert(5, report({ dataB: A, sigB: sigA }), 0n, 'SameData()');
      for (const kind of [1, 2, 4, 7]) await expectRevert(5, report({ kind }), 0n, `NotEquivocationKind(${kind})`);
      await expectRevert(5, report({ sigB: blsSign(k4!.secretKey, poeDigest(6, h, r, B)) }), 0n, 'BadSignature(1)');
      await expectRevert(5, report({ sigA: blsSign(k4!.secretKey, poeDigest(6, h, r, A)) }), 0n, 'BadSignature(0)');
      await expectRevert(5, report({ sigB: blsSign(gP!.secretKey, poeDigest(6, h + 1n, r, B)) }), 0n, 'BadSignature(1)');
      await expectRevert(5, report({ sigB: blsSign(gP!.secretKey, poeDigest(6, h, r + 1, B)) }), 0n, 'BadSignature(1)');
      await expectRevert(5, report({ sigB: blsSign(gP!.secretKey, poeDigest(5, h, r, B)) }), 0n, 'BadSignature(1)'); // a prevote is not a precommit
      await expectRevert(5, report({ sigB: new Uint8Array(95) }), 0n, 'BadSignatureLength(95)');
      await expectRevert(5, report({ offender: acct[6]!.address }), 0n, `NothingToSlash(${getAddress(acct[6]!.address)})`);
      expect((await readValidatorSet(c.ledger, c.ledger.head.header)).primaries).toHaveLength(1);
    });

    it('slashes two signed precommits for different blocks: 10% to the reporter, the rest burned, offender removed', async () => {
      const reporter = acct[5]!;
      const stake = 5_000n * TOKEN;
      const [reporterBefore, burnBefore, stakingBefore] = [await c.balance(reporter.address), await c.balance(BURN), await c.balance(STAKING)];
      const mined = await c.send(reporter, report());
      expect(mined.status).toBe(1);
      expect(mined.logs.map((l) => [l?.name, ...(l?.args.toArray() ?? [])])).toEqual([['Slashed', getAddress(offender()), getAddress(reporter.address), stake]]);
      expect(await c.balance(reporter.address)).toBe(reporterBefore - mined.gasCost + stake / 10n);
      expect(await c.balance(BURN)).toBe(burnBefore + stake - stake / 10n);
      expect(await c.balance(STAKING)).toBe(stakingBefore - stake);
      const set = await readValidatorSet(c.ledger, c.ledger.head.header);
      expect(set.primaries).toEqual([]);
      expect(set.totalPrimaryStake).toBe(0n);
      // the same evidence again: nothing left to slash
      await expectRevert(5, report(), 0n, `NothingToSlash(${getAddress(offender())})`);
      // the key can never come back, not even for its own address
      await expectRevert(0, encodeRegister('primary', gP!.publicKey, blsPopProve(gP!.secretKey, offender())), 1_000n * TOKEN, 'PubkeySlashed()');
    });

    it('slashes stake that is still unbonding (prevotes and proposals count too)', async () => {
      const who = acct[3]!;
      const joined = await c.send(who, encodeRegister('primary', k3!.publicKey, blsPopProve(k3!.secretKey, who.address)), 1_000n * TOKEN);
      expect(joined.status).toBe(1);
      expect((await c.send(who, encodeRequestExit())).status).toBe(1);
      const burnBefore = await c.balance(BURN);
      const evidence = { offender: who.address, kind: 5, dataA: A, sigA: blsSign(k3!.secretKey, poeDigest(5, h, r, A)) };
      const nil = new Uint8Array(32); // a nil prevote against a prevote for A
      const mined = await c.send(acct[5]!, report({ ...evidence, dataB: nil, sigB: blsSign(k3!.secretKey, poeDigest(5, h, r, nil)) }));
      expect(mined.logs.map((l) => l?.name)).toEqual(['Slashed']);
      expect(await c.balance(BURN)).toBe(burnBefore + 900n * TOKEN);
      await c.mine(UNBONDING);
      await expectRevert(3, encodeWithdraw(), 0n, `NotExiting(${getAddress(who.address)})`);
      // proposals: kind 3
      const joined5 = await c.send(acct[4]!, encodeRegister('sealer', k5!.publicKey, blsPopProve(k5!.secretKey, acct[4]!.address)), 100n * TOKEN);
      expect(joined5.status).toBe(1);
      const proposal = report({
        offender: acct[4]!.address,
        kind: 3,
        sigA: blsSign(k5!.secretKey, poeDigest(3, h, r, A)),
        sigB: blsSign(k5!.secretKey, poeDigest(3, h, r, B)),
      });
      expect((await c.send(acct[5]!, proposal)).logs.map((l) => l?.name)).toEqual(['Slashed']);
    });
  });
});

describe('PoeStaking without the precompile', () => {
  it('fails closed: no registration passes the PoP check', async () => {
    const c = await poeTestChain({ accounts: 2, precompile: false });
    try {
      const [k] = testBlsKeys(1, 50);
      const who = c.accounts[1]!;
      const data = encodeRegister('sealer', k!.publicKey, blsPopProve(k!.secretKey, who.address));
      expect((await c.simulate(who.address, data, 100n * TOKEN)).error).toBe('BadProofOfPossession()');
      expect((await c.send(who, data, 100n * TOKEN)).status).toBe(0);
    } finally {
      await c.close();
    }
  });
});
