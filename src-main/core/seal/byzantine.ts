/**
 * @module seal/byzantine
 * Test support (not used by the app): a byzantine participant on a MemoryHub. It sees every
 * broadcast, and sends messages it crafts with keys the test holds (testing.ts `testKey`):
 * votes, seals and proposals that are honest, forged (signed by another key or over another
 * digest), replayed (signed for another height or round) or built from invalid blocks. A
 * `Follower` ledger imports a node's final blocks so the byzantine side can build blocks on
 * the current head like a proposer would, then break them in one chosen way.
 */
import { RLP } from '@ethereumjs/rlp';
import type { Block } from '@ethereumjs/block';
import type { CustomPrecompile } from '@ethereumjs/evm';
import { createAddressFromString, type WithdrawalData } from '@ethereumjs/util';
import { sha256 } from '@noble/hashes/sha2.js';
import { Ledger, type DevnetGenesis } from '../chain';
import { blsSign } from '../crypto';
import { bodyHash, decodeCertificate, decodeMessage, encodeBody, encodeMessage, MsgType, type Hex, type PoeMessage, type ProposalMsg, type SealMsg, type VoteMsg } from './codec';
import type { HeightContext } from './context';
import { Kind, poeDigest } from './digest';
import type { PoeEngine } from './engine';
import { BODY_AUX, CERT_AUX } from './proposer';
import { rewardWithdrawals } from './rewards';
import type { MemoryHub, PoeTransport } from './transport';
import type { PoeKey } from './types';
import { ticketDigest } from './verify';

export type Seen = { msg: PoeMessage; from: string; at: number };

export class Byzantine {
  readonly transport: PoeTransport;
  readonly seen: Seen[] = [];
  private readonly listeners = new Set<(s: Seen) => void>();

  constructor(hub: MemoryHub, id = 'byzantine') {
    this.transport = hub.join(id);
    this.transport.onMessage((data, from) => {
      let msg: PoeMessage;
      try {
        msg = decodeMessage(data);
      } catch {
        return false;
      }
      const s = { msg, from, at: Date.now() };
      this.seen.push(s);
      for (const l of this.listeners) l(s);
      return false;
    });
    this.transport.onRequest(async () => {
      throw new Error('a byzantine peer serves nothing');
    });
  }

  on(cb: (s: Seen) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  send(msg: PoeMessage | Uint8Array): void {
    this.transport.broadcast(msg instanceof Uint8Array ? msg : encodeMessage(msg));
  }

  /** Messages of one type seen so far (from honest nodes). */
  of<T extends PoeMessage['type']>(type: T): Extract<PoeMessage, { type: T }>[] {
    return this.seen.filter((s) => s.msg.type === type).map((s) => s.msg as Extract<PoeMessage, { type: T }>);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** What a signature is over, when it is not what the message says (forgeries and replays). */
export type SignedAs = Partial<{ kind: Kind; height: bigint; round: number; data: Uint8Array }>;

const hexOf = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}` as Hex;

/** A prevote or precommit of `voter`, signed by `signer` (default the voter) over `as` (default the vote itself). */
export function craftVote(ctx: HeightContext, o: { type: MsgType.PREVOTE | MsgType.PRECOMMIT; voter: PoeKey; round: number; hash: Uint8Array; height?: bigint; signer?: PoeKey; as?: SignedAs }): VoteMsg {
  const height = o.height ?? ctx.height;
  const kind = o.type === MsgType.PREVOTE ? Kind.PREVOTE : Kind.PRECOMMIT;
  const digest = poeDigest(o.as?.kind ?? kind, ctx.chainId, o.as?.height ?? height, o.as?.round ?? o.round, o.as?.data ?? o.hash);
  return { type: o.type, height, round: o.round, blockHash: o.hash, voter: o.voter.address, sig: blsSign((o.signer ?? o.voter).blsSecret, digest) };
}

/** A key's ticket signature (PROPOSE_TICKET or SEAL_TICKET) for a round of ctx's height, over `seed` (default ctx.seed). */
export function ticketSig(ctx: HeightContext, key: PoeKey, kind: Kind.PROPOSE_TICKET | Kind.SEAL_TICKET, round: number, seed?: Uint8Array): Uint8Array {
  return blsSign(key.blsSecret, seed ? poeDigest(kind, ctx.chainId, ctx.height, round, seed) : ticketDigest(ctx, kind, round));
}

/** A seal of `sealer` for a block; `ticket` and `as` replace its ticket or what its signature signs. */
export function craftSeal(ctx: HeightContext, o: { sealer: PoeKey; blockHash: Uint8Array; blockRound: number; ticket?: Uint8Array; signer?: PoeKey; as?: SignedAs }): SealMsg {
  const digest = poeDigest(o.as?.kind ?? Kind.SEAL, ctx.chainId, o.as?.height ?? ctx.height, o.as?.round ?? o.blockRound, o.as?.data ?? o.blockHash);
  return {
    type: MsgType.SEAL,
    height: ctx.height,
    blockRound: o.blockRound,
    blockHash: o.blockHash,
    sealer: o.sealer.address,
    ticketSig: o.ticket ?? ticketSig(ctx, o.sealer, Kind.SEAL_TICKET, o.blockRound),
    sig: blsSign((o.signer ?? o.sealer).blsSecret, digest),
  };
}

/** A ledger that imports the final blocks of a node (with their POE body and certificate). */
export class Follower {
  private queue: Promise<unknown> = Promise.resolve();
  private off: (() => void) | null = null;

  private constructor(readonly ledger: Ledger) {}

  static async open(genesis: DevnetGenesis, precompiles?: CustomPrecompile[]): Promise<Follower> {
    return new Follower(await Ledger.open({ file: ':memory:', genesis, precompiles }));
  }

  /** Imports what `source` holds beyond our head, then every block its engine finalises. */
  follow(source: { ledger: Ledger; engine: PoeEngine }): void {
    this.off?.();
    this.off = source.engine.events.on('final', () => void this.catchUp(source.ledger));
    void this.catchUp(source.ledger);
  }

  catchUp(source: Ledger): Promise<unknown> {
    const run = this.queue.then(async () => {
      for (let n = this.ledger.head.header.number + 1n; n <= source.head.header.number; n++) {
        const b = source.blockByNumber(n)!;
        const aux = { [BODY_AUX]: source.aux(b.hash(), BODY_AUX)!, [CERT_AUX]: source.aux(b.hash(), CERT_AUX)! };
        await this.ledger.importBlock(this.ledger.decodeBlock(b.serialize()), aux);
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  async close(): Promise<void> {
    this.stop();
    await this.queue;
    await this.ledger.close();
  }
}

export type ProposalPlan = {
  key: PoeKey;
  round: number;
  /** The ticket in the proposal message (default: the key's real ticket for the round). */
  ticket?: Uint8Array;
  /** The ticket in the block's body (default: the message's). */
  bodyTicket?: Uint8Array;
  /** Overrides of the block as built: its extraData, prevRandao, withdrawals, coinbase. */
  extraData?: Uint8Array;
  prevRandao?: Uint8Array;
  withdrawals?: (w: WithdrawalData[]) => WithdrawalData[];
  coinbase?: string;
  /** Patches the header fields after building (RLP list: 3 = stateRoot, 12 = extraData, 13 = mixHash). */
  patchHeader?: (fields: Uint8Array[]) => void;
  txs?: Parameters<Ledger['buildBlock']>[0]['txs'];
};

/**
 * A proposal built on the follower's head as an honest proposer would (rewards of the
 * parent's certificate, body committed in extraData, prevRandao = sha256(ticket)), with the
 * plan's deviations. `ctx` / `parentCtx`: the contexts of the head + 1 and the head.
 */
export async function craftProposal(ledger: Ledger, ctx: HeightContext, parentCtx: HeightContext | null, p: ProposalPlan): Promise<{ msg: ProposalMsg; block: Block }> {
  const parent = ledger.head;
  if (parent.header.number + 1n !== ctx.height) throw new Error(`the follower is at ${parent.header.number}, not ${ctx.height - 1n}`);
  const ticket = p.ticket ?? ticketSig(ctx, p.key, Kind.PROPOSE_TICKET, p.round);
  const lastCert = ctx.height === 1n ? new Uint8Array(0) : ledger.aux(parent.hash(), CERT_AUX)!;
  const body = encodeBody({ version: 1, round: p.round, ticketSig: p.bodyTicket ?? ticket, lastCert });
  const rewards = ctx.height === 1n || !parentCtx ? [] : rewardWithdrawals(parentCtx, decodeCertificate(lastCert), parent);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const candidate = await ledger.buildBlock({
    txs: p.txs ?? [],
    timestamp: now > parent.header.timestamp ? now : parent.header.timestamp + 1n,
    coinbase: createAddressFromString(p.coinbase ?? p.key.address),
    prevRandao: p.prevRandao ?? sha256(p.bodyTicket ?? ticket),
    extraData: p.extraData ?? bodyHash(body),
    withdrawals: p.withdrawals ? p.withdrawals(rewards) : rewards,
  });
  let block = candidate.block;
  if (p.patchHeader) {
    const raw = block.raw() as unknown as [Uint8Array[], ...unknown[]];
    const fields = [...raw[0]];
    p.patchHeader(fields);
    block = ledger.decodeBlock(RLP.encode([fields, ...raw.slice(1)] as never));
  }
  const sig = blsSign(p.key.blsSecret, poeDigest(Kind.PROPOSAL, ctx.chainId, ctx.height, p.round, block.hash()));
  return {
    msg: { type: MsgType.PROPOSAL, height: ctx.height, round: p.round, proposer: p.key.address, ticketSig: ticket, validRound: -1, block: block.serialize(), body, sig },
    block,
  };
}

/** The certificates stored by a ledger for blocks 1…head. */
export function storedCertificates(ledger: Ledger): { height: bigint; hash: Hex; cert: ReturnType<typeof decodeCertificate> }[] {
  const out = [];
  for (let n = 1n; n <= ledger.head.header.number; n++) {
    const b = ledger.blockByNumber(n)!;
    const c = ledger.aux(b.hash(), CERT_AUX);
    if (c) out.push({ height: n, hash: hexOf(b.hash()), cert: decodeCertificate(c) });
  }
  return out;
}
