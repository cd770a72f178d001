/**
 * The production job in the real worker thread: the lead's Sealer over a read-only reader of a
 * chain.db that a writer in this (main) thread keeps open. A valid proposal on top of the head
 * gets a SEAL message whose BLS signature verifies over the SEAL digest of its block hash; a
 * block with a forged state root, one that does not extend the head, and garbage get none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RLP } from '@ethereumjs/rlp';
import { createAddressFromString } from '@ethereumjs/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, blsVerifyPrecompile } from '../../chain';
import { testAccounts, testDevnetGenesis } from '../../chain/testing';
import { blsVerify } from '../../crypto';
import { decodeMessage, MsgType } from '../codec';
import { Kind, poeDigest } from '../digest';
import type { SealJob } from '../sealer';
import { testKey } from '../testing';
import { SealingController } from './controller';
import { IdleSource } from './idle-source';
import type { FromWorker } from './protocol';

const dir = mkdtempSync(join(tmpdir(), 'bu-sealer-runner-'));
const file = join(dir, 'chain.db');
const key = testKey('sealer runner');
let writer: Ledger;
let idle: IdleSource;
let c: SealingController;
let job: SealJob;

beforeAll(async () => {
  const genesis = await testDevnetGenesis(testAccounts(2));
  writer = await Ledger.open({ file, genesis, precompiles: [blsVerifyPrecompile()] });
  const head = writer.head;
  const cand = await writer.buildBlock({
    txs: [],
    timestamp: head.header.timestamp + 2n,
    coinbase: createAddressFromString('0x000000000000000000000000000000000000c0de'),
    prevRandao: new Uint8Array(32).fill(7),
  });
  job = {
    chainId: writer.chainId,
    height: 1n,
    round: 0,
    seed: new Uint8Array(32).fill(9),
    block: cand.block.serialize(),
    blockHash: cand.block.hash(),
    sealers: [{ address: key.address, stake: 100n }],
    totalStake: 100n,
    target: 1, // threshold 2^256 · min(1, 1·100/100): this key always wins the draw
  };
  idle = new IdleSource();
  idle.setOverride('idle');
  c = new SealingController({
    idle,
    settingsFile: join(dir, 'settings.json'),
    tallyFile: join(dir, 'sealing.json'),
    runner: { kind: 'sealer', init: { keys: [{ address: key.address, secretKey: key.blsSecret }], ledgerFile: file } },
  });
  c.setMode('always');
  c.setParticipation({ registered: true, syncing: false });
});

afterAll(async () => {
  await c?.close();
  idle?.close();
  await writer?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Submit and wait for the worker's answer: the seals it made. */
function seal(j: SealJob): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer from the sealing worker')), 60_000);
    const off = c.events.on('worker', (m: FromWorker) => {
      if (m.type !== 'done' && m.type !== 'failed') return;
      clearTimeout(timer);
      off();
      if (m.type === 'failed') reject(new Error(m.error));
      else resolve(m.seals);
    });
    expect(c.submit(j)).toBe(true);
  });
}

describe('the Sealer in the worker thread', () => {
  it('re-executes a valid proposal on the read-only ledger and signs a SEAL for it', async () => {
    const seals = await seal(job);
    expect(seals).toHaveLength(1);
    const m = decodeMessage(seals[0]!);
    if (m.type !== MsgType.SEAL) throw new Error(`not a SEAL: ${m.type}`);
    expect(m.sealer.toLowerCase()).toBe(key.address.toLowerCase());
    expect(m.height).toBe(1n);
    expect(Buffer.from(m.blockHash).equals(Buffer.from(job.blockHash))).toBe(true);
    expect(blsVerify(key.blsPublic, poeDigest(Kind.SEAL, job.chainId, 1n, 0, job.blockHash), m.sig)).toBe(true);
    expect(blsVerify(key.blsPublic, poeDigest(Kind.SEAL_TICKET, job.chainId, 1n, 0, job.seed), m.ticketSig)).toBe(true);
    expect(c.status().sealsMade).toBe(1);
  });

  it('seals nothing for a forged state root, a block that does not extend the head, or garbage', async () => {
    const raw = RLP.decode(job.block) as Uint8Array[][];
    raw[0]![3] = new Uint8Array(32).fill(1); // header field 3: stateRoot
    const forged = RLP.encode(raw);
    expect(await seal({ ...job, round: 1, block: forged })).toEqual([]);
    expect(await seal({ ...job, height: 2n, round: 0 })).toEqual([]);
    expect(await seal({ ...job, height: 2n, round: 1, block: new Uint8Array([1, 2, 3]) })).toEqual([]);
    expect(c.status().sealsMade).toBe(1);
  });
});
