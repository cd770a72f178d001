/**
 * Equivocation punished on chain (issue 9 item 8): the EvidenceReporter's transaction on a
 * real ledger with PoeStaking and the BLS precompile (one report per offence, none for an
 * offender already gone, the stake slashed: 10 % to the reporter, the rest burned), and end
 * to end on the in-process network whose genesis holds the staking contract: a byzantine
 * primary prevotes two blocks in one round, the honest engines emit evidence, the report is
 * mined, the offender is slashed and leaves the committee `lookback` heights later, and the
 * network goes on finalising without it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { TypedEmitter } from '../base';
import { blsSign } from '../crypto';
import { Mempool, readValidatorSet, stakingInterface, type Ledger } from '../chain';
import { poeTestChain, TOKEN, type PoeTestChain } from '../chain/poe-test-chain';
import { Byzantine, craftVote } from './byzantine';
import { MsgType, type Hex, type VoteMsg } from './codec';
import { Kind, poeDigest, ZERO32 } from './digest';
import type { EngineEvents, PoeEngine } from './engine';
import { EvidenceReporter, REPORT_TIP_WEI } from './evidence';
import { FAST_TIMEOUTS, startTestNetwork, testKey, type TestNetwork, type TestNode, until } from './testing';

const STAKING = '0x0000000000000000000000000000000000005EA1';
const BURN = '0x000000000000000000000000000000000000dead';

let net: TestNetwork | null = null;
let chain: PoeTestChain | null = null;
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await net?.close();
  net = null;
  await chain?.close();
  chain = null;
});

const balance = async (ledger: Ledger, a: string) => (await ledger.stateAt(ledger.head.header).getAccount(createAddressFromString(a)))?.balance ?? 0n;

/** `staker(who)` at the head: [status, role, stake]. */
async function staker(ledger: Ledger, who: string): Promise<[bigint, bigint, bigint]> {
  const vm = await ledger.vmAt(ledger.head.header);
  const res = await vm.evm.runCall({ to: createAddressFromString(STAKING), data: hexToBytes(stakingInterface.encodeFunctionData('staker', [who]) as Hex), gasLimit: 10_000_000n });
  const r = stakingInterface.decodeFunctionResult('staker', res.execResult.returnValue);
  return [r[0], r[1], r[2]] as [bigint, bigint, bigint];
}

/** The reporter's transaction in the ledger: its block, gas used and the contract's events. */
function minedReport(ledger: Ledger, hash: string) {
  const loc = ledger.txLocation(hexToBytes(hash as Hex));
  if (!loc) return null;
  const receipts = ledger.receipts(loc.block);
  const r = receipts[loc.index]!;
  const gasUsed = r.cumulativeGasUsed - (loc.index > 0 ? receipts[loc.index - 1]!.cumulativeGasUsed : 0n);
  const events = r.logs.map(([, topics, data]) => stakingInterface.parseLog({ topics: topics.map((t) => `0x${Buffer.from(t).toString('hex')}`), data: `0x${Buffer.from(data).toString('hex')}` }));
  return { block: loc.block, status: r.status, gasUsed, events };
}

describe('EvidenceReporter', () => {
  it('submits one slashing transaction per offence, skips offenders no longer staked, and the contract pays and burns', async () => {
    const offender = testKey('primary 3');
    const stake = 2_000n * TOKEN;
    chain = await poeTestChain({ poe: { primaries: [{ address: offender.address, publicKey: offender.blsPublic, stake }], sealers: [] } });
    const ledger = chain.ledger;
    const mempool = new Mempool(ledger);
    const events = new TypedEmitter<EngineEvents>();
    const reporterAccount = chain.accounts[1]!;
    const reporter = new EvidenceReporter({
      engine: { events } as unknown as PoeEngine,
      ledger,
      mempool,
      key: { privateKey: hexToBytes(reporterAccount.key), address: reporterAccount.address },
      stakingAddress: STAKING,
    });
    const [h, r] = [7n, 1];
    const A = hexToBytes(`0x${'aa'.repeat(32)}`);
    const sign = (data: Uint8Array) => blsSign(offender.blsSecret, poeDigest(Kind.PRECOMMIT, ledger.chainId, h, r, data));
    const ev: EngineEvents['evidence'] = { offender: offender.address, kind: Kind.PRECOMMIT, height: h, round: r, dataA: A, sigA: sign(A), dataB: ZERO32, sigB: sign(ZERO32) };
    events.emit('evidence', ev);
    events.emit('evidence', { ...ev }); // the same offence seen again (another round of gossip)
    events.emit('evidence', { ...ev, offender: testKey('nobody').address, round: 2 }); // not staked: nothing to report
    events.emit('evidence', { ...ev, kind: Kind.PREVOTE, round: 3 }); // another offence while the first report waits: one slash takes it all
    await reporter.idle();
    expect(reporter.reports.map((x) => x.error)).toEqual([null, 'the offender is no longer staked', 'a report of this offender is pending']);
    expect(mempool.size).toBe(1);
    const [pending] = await mempool.pending(ledger.head.header.calcNextBaseFee());
    expect(pending!.tx.to?.toString()).toBe(STAKING.toLowerCase());
    expect(pending!.tx.gasLimit).toBe(400_000n);

    const [reporterBefore, burnBefore] = [await balance(ledger, reporterAccount.address), await balance(ledger, BURN)];
    const baseFee = ledger.head.header.calcNextBaseFee();
    const candidate = await ledger.buildBlock({ txs: [pending!.tx], timestamp: ledger.head.header.timestamp + 1n, coinbase: createAddressFromString(testKey('coinbase').address), prevRandao: new Uint8Array(32) });
    await ledger.commit(candidate);
    const mined = minedReport(ledger, reporter.reports[0]!.hash!)!;
    expect(mined.status).toBe(1);
    expect(mined.events.map((e) => e?.name)).toEqual(['Slashed']);
    const [who, by, amount] = mined.events[0]!.args.toArray();
    expect([String(who).toLowerCase(), String(by).toLowerCase(), amount]).toEqual([offender.address, reporterAccount.address.toLowerCase(), stake]);
    expect(await balance(ledger, reporterAccount.address)).toBe(reporterBefore + stake / 10n - mined.gasUsed * (baseFee + REPORT_TIP_WEI));
    expect(await balance(ledger, BURN)).toBe(burnBefore + stake - stake / 10n);
    expect((await readValidatorSet(ledger, ledger.head.header)).primaries).toEqual([]);
    expect((await staker(ledger, offender.address))[2]).toBe(0n);

    // A later offence of the same key (another height): the offender is gone, nothing is sent.
    events.emit('evidence', { ...ev, height: h + 1n });
    await reporter.idle();
    expect(reporter.reports.at(-1)!.error).toBe('the offender is no longer staked');
    expect(mempool.size).toBe(0);
    reporter.stop();
  });
});

describe('equivocation on the in-process network with PoeStaking', () => {
  it('a primary that prevotes and precommits two blocks in one round is reported once, slashed and leaves the committee', async () => {
    net = await startTestNetwork({ primaries: 4, sealers: 1, staking: true, absent: ['p3'], blockIntervalMs: 1000, params: { timeouts: { ...FAST_TIMEOUTS, proposeMs: 2500 } } });
    const offender = net.primaries[3]!;
    const node = (id: string) => net!.nodes.find((n) => n.id === id)!;
    const head = (n: TestNode) => n.ledger.head.header.number;
    const p0 = node('p0');
    const account = net.accounts[1]!;
    const reporter = new EvidenceReporter({ engine: p0.engine, ledger: p0.ledger, mempool: p0.mempool, key: { privateKey: hexToBytes(account.key as Hex), address: account.address }, stakingAddress: net.params.stakingAddress });
    closers.push(() => reporter.stop());
    const evidence: { id: string; kind: number; height: bigint; round: number; offender: string }[] = [];
    for (const n of net.nodes) n.engine.events.on('evidence', (e) => evidence.push({ id: n.id, kind: e.kind, height: e.height, round: e.round, offender: e.offender }));
    const stake = (await readValidatorSet(p0.ledger, p0.ledger.head.header)).primaries.find((v) => v.address === offender.address)!.stake;
    const [stakingBefore, reporterBefore, burnBefore] = [await balance(p0.ledger, STAKING), await balance(p0.ledger, account.address), await balance(p0.ledger, BURN)];

    // The byzantine side plays p3: on the first prevote of p0 for a block at height ≥ 2, it prevotes and precommits that block and nil.
    const byz = new Byzantine(net.hub);
    closers.push(() => byz.close());
    let done: { height: bigint; round: number } | null = null;
    byz.on(({ msg, from }) => {
      const v = msg as VoteMsg;
      if (done || from !== 'p0' || v.type !== MsgType.PREVOTE || v.height < 2n || v.blockHash.every((x) => x === 0)) return;
      done = { height: v.height, round: v.round };
      void p0.engine.contexts.forHeight(v.height).then((ctx) => {
        for (const type of [MsgType.PREVOTE, MsgType.PRECOMMIT] as const) {
          byz.send(craftVote(ctx, { type, voter: offender, round: v.round, hash: v.blockHash }));
          byz.send(craftVote(ctx, { type, voter: offender, round: v.round, hash: ZERO32 }));
        }
      });
    });

    await until(() => reporter.reports.length >= 2, 45_000, 'two pieces of evidence handled');
    const at = { id: 'p0', height: done!.height, round: done!.round, offender: offender.address };
    expect(evidence.filter((e) => e.id === 'p0').sort((a, b) => a.kind - b.kind)).toEqual([
      { ...at, kind: Kind.PREVOTE },
      { ...at, kind: Kind.PRECOMMIT },
    ]);
    // One transaction: the second offence waits for the first report (one slash takes the whole stake).
    const sent = reporter.reports.filter((r) => r.hash);
    expect(sent).toHaveLength(1);
    expect(reporter.reports.filter((r) => !r.hash).map((r) => r.error)).toEqual([expect.stringMatching(/pending|no longer staked/)]);
    const report = sent[0]!;
    await until(() => minedReport(p0.ledger, report.hash!) !== null, 30_000, 'the report mined');
    const mined = minedReport(p0.ledger, report.hash!)!;
    expect(mined.status).toBe(1);
    expect(mined.events.map((e) => e?.name)).toEqual(['Slashed']);
    const n = mined.block.header.number;
    const price = mined.block.header.baseFeePerGas! + REPORT_TIP_WEI;

    // The offender leaves the committee at height n + lookback; the three others go on finalising.
    const lookback = BigInt(net.params.lookback);
    await until(() => net!.nodes.every((x) => head(x) >= n + lookback + 1n), 45_000, 'heights past the lookback');
    for (const x of net.nodes) {
      expect((await x.engine.contexts.forHeight(n + lookback - 1n)).primaries.has(offender.address)).toBe(true);
      const after = await x.engine.contexts.forHeight(n + lookback);
      expect(after.primaries.has(offender.address)).toBe(false);
      expect(after.set.primaries.map((v) => v.address)).toEqual(net.primaries.slice(0, 3).map((k) => k.address));
    }
    expect((await staker(p0.ledger, offender.address))[2]).toBe(0n);
    expect(await balance(p0.ledger, STAKING)).toBe(stakingBefore - stake);
    expect(await balance(p0.ledger, BURN)).toBe(burnBefore + stake - stake / 10n);
    expect(await balance(p0.ledger, account.address)).toBe(reporterBefore + stake / 10n - mined.gasUsed * price);
    // Every honest primary saw the equivocation.
    for (const id of ['p0', 'p1', 'p2']) for (const kind of [Kind.PREVOTE, Kind.PRECOMMIT]) expect(evidence.some((e) => e.id === id && e.offender === offender.address && e.kind === kind)).toBe(true);
  }, 90_000);
});
