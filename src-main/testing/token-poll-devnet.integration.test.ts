/**
 * The Token Poll sample on a real node's embedded devnet, as its page runs it: the TokenPoll
 * the genesis deployed (at the address chain.js knows), the user's first wallet account holding
 * the genesis tBUT, and only the bridge's provider methods — connect (eth_requestAccounts →
 * the user picks the account), eth_call reads, eth_sendTransaction writes confirmed with
 * `dapps.providerDecide` — with calldata and decoding from the sample's own chain.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingRequestT, ProviderAnswerT } from '../../src-preload/contract';
import { RESOURCES_DIR } from '../core/chain/testing';
import { loadScript } from '../core/dapps/samples/load-script';
import { startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const POLL_APP = '0x749f8af28151840e6a38bbd217a353eec432b778';
type PollChain = {
  DEVNET_POLL: string;
  encode: Record<string, (...a: never[]) => string>;
  decode: { uint(d: string): bigint; poll(d: string): { question: string; options: string[]; tallies: bigint[]; voters: number; open: boolean }; vote(d: string): { voted: boolean; option: number; weight: bigint } };
  revertReason(d: string): string | null;
};
const P = loadScript<PollChain>('poll', 'chain.js', 'PollChain');
const enc = P.encode as unknown as {
  createPoll(q: string, o: string[], d: number): string;
  vote(id: number, o: number): string;
  pollCount(): string;
  getPoll(id: number): string;
  voteOf(id: number, who: string): string;
};

let node: TestNode;
const dirs: string[] = [];
let account: string;

const ask = async (method: string, params: unknown[] = []): Promise<ProviderAnswerT> => node.handlers['dapps.providerRequest']({ appId: POLL_APP, method, params });
const result = async (method: string, params: unknown[] = []) => {
  const a = await ask(method, params);
  if (a.kind !== 'result') throw new Error(`${method} is waiting for the user`);
  return a.result;
};
const call = async (data: string) => (await result('eth_call', [{ to: P.DEVNET_POLL, data }, 'latest'])) as string;

/** eth_sendTransaction, approved by "the user", mined. */
async function transact(data: string): Promise<void> {
  const a = await ask('eth_sendTransaction', [{ from: account, to: P.DEVNET_POLL, data }]);
  expect(a.kind).toBe('pending');
  const req = (a as { request: PendingRequestT }).request;
  expect(req.kind).toBe('transaction');
  const { result: hash } = await node.handlers['dapps.providerDecide']({ id: req.id, approve: true });
  let receipt: { status: string } | null = null;
  await waitFor(async () => (receipt = (await result('eth_getTransactionReceipt', [hash])) as { status: string } | null) !== null, 20_000, 100);
  expect(receipt!.status).toBe('0x1');
}

beforeAll(async () => {
  const dir = tempDir();
  dirs.push(dir);
  node = await startTestNode('Alice', dir, { resourcesDir: RESOURCES_DIR, chain: { rpcPort: 0, intervalMs: 500 } });
  await waitFor(async () => (await node.handlers['dapps.catalog']({})).state === 'ok', 30_000, 100);
  await node.handlers['dapps.install']({ appId: POLL_APP });
}, 90_000);

afterAll(() => stopAll([node], dirs));

describe('Token Poll on the embedded devnet', () => {
  it('connects, creates a poll, votes with the genesis balance, and is refused a second vote', async () => {
    const connect = await ask('eth_requestAccounts');
    expect(connect.kind).toBe('pending');
    const req = (connect as { request: PendingRequestT }).request;
    account = req.choices[0]!.address;
    await node.handlers['dapps.providerDecide']({ id: req.id, approve: true, accounts: [account] });
    expect(await result('eth_accounts')).toEqual([account]);

    expect(P.decode.uint(await call(enc.pollCount()))).toBe(0n);
    await transact(enc.createPoll('Ship it?', ['Yes', 'No'], 3600));
    expect(P.decode.uint(await call(enc.pollCount()))).toBe(1n);
    await transact(enc.vote(0, 0));
    const poll = P.decode.poll(await call(enc.getPoll(0)));
    expect(poll).toMatchObject({ question: 'Ship it?', options: ['Yes', 'No'], voters: 1, open: true });
    expect(poll.tallies).toEqual([1_000_000n * 10n ** 18n, 0n]); // the genesis tBUT of the first wallet account
    expect(P.decode.vote(await call(enc.voteOf(0, account)))).toEqual({ voted: true, option: 0, weight: 1_000_000n * 10n ** 18n });

    // a second vote: the dapp's dry run (eth_call from the account) names the refusal
    const refused = await ask('eth_call', [{ from: account, to: P.DEVNET_POLL, data: enc.vote(0, 1) }, 'latest']).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/revert data (0x[0-9a-f]+)/);
    expect(P.revertReason(/revert data (0x[0-9a-f]+)/.exec(refused!)![1]!)).toBe('You have already voted in this poll.');
  }, 90_000);
});
