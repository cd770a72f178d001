/**
 * TokenPoll (resources/contracts/TokenPoll.sol, the Token Poll sample dapp's contract) on
 * anvil, driven by ethers: holders create polls, votes are weighted by the voter's balance at
 * the time of the vote, one vote per address per poll, every refusal by its custom error, the
 * poll closes at its end time; and the devnet genesis deploys it next to the test token.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, ContractFactory, Interface, JsonRpcProvider, getCreateAddress, type JsonRpcSigner } from 'ethers';
import { RESOURCES_DIR } from '../../chain/testing';
import { startAnvil, type Anvil } from '../../wallet/anvil-fixture';

type Artifact = { abi: unknown[]; bytecode: string };
const artifact = (name: string) => JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', `${name}.json`), 'utf8')) as Artifact;
const TOKEN = artifact('BitUnicomTestToken');
const POLL = artifact('TokenPoll');
const pollIface = new Interface(POLL.abi as never);
const ONE = 10n ** 18n;

let anvil: Anvil;
let provider: JsonRpcProvider;
let alice: JsonRpcSigner, bob: JsonRpcSigner, carol: JsonRpcSigner, stranger: JsonRpcSigner;
let token: Contract;
let poll: Contract;

const as = (c: Contract, s: JsonRpcSigner) => c.connect(s) as Contract;
const mined = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();
async function revertOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const data = (err as { data?: string }).data;
    if (typeof data !== 'string') throw err;
    const e = pollIface.parseError(data);
    return e ? `${e.name}(${e.args.map(String).join(',')})` : data;
  }
  throw new Error('expected a revert');
}

beforeAll(async () => {
  anvil = await startAnvil();
  provider = new JsonRpcProvider(anvil.url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  [alice, bob, carol, stranger] = (await Promise.all([0, 1, 2, 3].map((i) => provider.getSigner(i)))) as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner];
  const holders = await Promise.all([alice, bob, carol].map((s) => s.getAddress()));
  const t = await new ContractFactory(TOKEN.abi as never, TOKEN.bytecode, alice).deploy('BitUnicom Test Token', 'tBUT', holders, 100n * ONE);
  token = (await t.waitForDeployment()) as unknown as Contract;
  // weights: Alice 50, Bob 150, Carol 100
  await mined(as(token, alice).getFunction('transfer')(holders[1], 50n * ONE));
  const p = await new ContractFactory(POLL.abi as never, POLL.bytecode, alice).deploy(await token.getAddress());
  poll = (await p.waitForDeployment()) as unknown as Contract;
}, 60_000);

afterAll(async () => {
  provider?.destroy();
  await anvil?.stop();
});

describe('TokenPoll on anvil', () => {
  it('lets a holder create a poll and logs it', async () => {
    expect(await poll.getFunction('token')()).toBe(await token.getAddress());
    const receipt = (await mined(as(poll, alice).getFunction('createPoll')('Lunch?', ['Pizza', 'Sushi', 'Salad'], 3600n))) as { logs: { topics: string[]; data: string }[] };
    const ev = receipt.logs.map((l) => pollIface.parseLog(l)).find((e) => e?.name === 'PollCreated')!;
    expect([ev.args.pollId, ev.args.creator, ev.args.question, [...ev.args.options]]).toEqual([0n, await alice.getAddress(), 'Lunch?', ['Pizza', 'Sushi', 'Salad']]);
    expect(await poll.getFunction('pollCount')()).toBe(1n);
    const g = await poll.getFunction('getPoll')(0n);
    expect([g.creator, g.question, [...g.options], [...g.tallies], g.voters, g.open]).toEqual([await alice.getAddress(), 'Lunch?', ['Pizza', 'Sushi', 'Salad'], [0n, 0n, 0n], 0n, true]);
    expect(g.endsAt - g.createdAt).toBe(3600n);
  });

  it('weighs each vote by the balance, once per address', async () => {
    await mined(as(poll, alice).getFunction('vote')(0n, 0));
    await mined(as(poll, bob).getFunction('vote')(0n, 1));
    await mined(as(poll, carol).getFunction('vote')(0n, 0));
    const g = await poll.getFunction('getPoll')(0n);
    expect([...g.tallies]).toEqual([150n * ONE, 150n * ONE, 0n]);
    expect(g.voters).toBe(3n);
    const v = await poll.getFunction('voteOf')(0n, await bob.getAddress());
    expect([v.voted, v.option, v.weight]).toEqual([true, 1n, 150n * ONE]);
    expect([...(await poll.getFunction('voteOf')(0n, await stranger.getAddress()))]).toEqual([false, 0n, 0n]);
    expect(await revertOf(as(poll, bob).getFunction('vote')(0n, 2))).toBe(`AlreadyVoted(0,${await bob.getAddress()})`);
  });

  it('refuses non-holders, unknown polls and options, and bad polls', async () => {
    const s = await stranger.getAddress();
    expect(await revertOf(as(poll, stranger).getFunction('vote')(0n, 0))).toBe(`NotHolder(${s})`);
    expect(await revertOf(as(poll, stranger).getFunction('createPoll')('Q', ['a', 'b'], 3600n))).toBe(`NotHolder(${s})`);
    expect(await revertOf(as(poll, alice).getFunction('vote')(7n, 0))).toBe('UnknownPoll(7)');
    expect(await revertOf(as(poll, alice).getFunction('createPoll')('', ['a', 'b'], 3600n))).toBe('BadQuestion()');
    expect(await revertOf(as(poll, alice).getFunction('createPoll')('q'.repeat(201), ['a', 'b'], 3600n))).toBe('BadQuestion()');
    expect(await revertOf(as(poll, alice).getFunction('createPoll')('Q', ['only one'], 3600n))).toBe('BadOptions()');
    expect(await revertOf(as(poll, alice).getFunction('createPoll')('Q', Array.from({ length: 9 }, (_, i) => `o${i}`), 3600n))).toBe('BadOptions()');
    expect(await revertOf(as(poll, alice).getFunction('createPoll')('Q', ['a', ''], 3600n))).toBe('BadOptions()');
    expect(await revertOf(as(poll, alice).getFunction('createPoll')('Q', ['a', 'b'], 59n))).toBe('BadDuration(59)');
    await mined(as(poll, alice).getFunction('createPoll')('Tea or coffee?', ['Tea', 'Coffee'], 60n));
    expect(await revertOf(as(poll, alice).getFunction('vote')(1n, 2))).toBe('BadOption(1,2)');
  });

  it('counts the balance at vote time (no snapshot: moved tokens vote again) and closes at its end', async () => {
    // Carol votes with 100, then gives 100 to the stranger, who votes with them too — the
    // documented limit of a poll without ERC20Votes checkpoints
    await mined(as(poll, carol).getFunction('vote')(1n, 0));
    await mined(as(token, carol).getFunction('transfer')(await stranger.getAddress(), 100n * ONE));
    await mined(as(poll, stranger).getFunction('vote')(1n, 0));
    expect([...(await poll.getFunction('getPoll')(1n)).tallies]).toEqual([200n * ONE, 0n]);
    await provider.send('evm_increaseTime', [61]);
    await provider.send('evm_mine', []);
    const g = await poll.getFunction('getPoll')(1n);
    expect(g.open).toBe(false);
    expect(await revertOf(as(poll, alice).getFunction('vote')(1n, 1))).toBe(`PollClosed(1,${g.endsAt})`);
  });
});

describe('TokenPoll in the devnet genesis', () => {
  it('is listed after the registry, from its own deployer, pointing at the test token', () => {
    const genesis = JSON.parse(readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8')) as { bitunicom: { contracts: { artifact: string; deployer: string; args: unknown[] }[] } };
    const list = genesis.bitunicom.contracts;
    const entry = list.find((c) => c.artifact === 'TokenPoll')!;
    const tokenEntry = list.find((c) => c.artifact === 'BitUnicomTestToken')!;
    expect(entry.args).toEqual([getCreateAddress({ from: tokenEntry.deployer, nonce: 0 })]);
    expect(new Set(list.map((c) => c.deployer.toLowerCase())).size).toBe(list.length);
    // the sample dapp calls it at this address (resources/dapps/poll/chain.js)
    const chainJs = readFileSync(join(RESOURCES_DIR, 'dapps', 'poll', 'chain.js'), 'utf8');
    expect(chainJs).toContain(getCreateAddress({ from: entry.deployer, nonce: 0 }));
  });
});
