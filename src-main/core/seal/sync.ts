/**
 * @module seal/sync
 * Catching up: a new or restarted node asks its peers for their final head and fetches the
 * blocks it lacks, each with its POE body and finality certificate, and adopts a block only
 * after checking all of it against its own state: the POE rules (proposer ticket, seed,
 * prevRandao, the parent's certificate, rewards — block-rules.ts), the block's own
 * certificate (> 2/3 of the height's committee stake, aggregated BLS), and re-execution
 * (state root, receipts, gas — the ledger's importBlock). A peer can make us wait, never
 * make us adopt a block the committee did not finalise.
 *
 *   request  rlp[1]                    → rlp[headNumber, headHash]
 *   request  rlp[2, from, count ≤ 64]  → rlp[[block, poeBody, certificate] …] (≤ 2 MiB)
 */
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util';
import { BuError, type Logger } from '../base';
import type { Ledger } from '../chain';
import { checkPoeBlock } from './block-rules';
import { decodeCertificate } from './codec';
import type { ContextCache } from './context';
import { BODY_AUX, CERT_AUX } from './proposer';
import type { PoeTransport } from './transport';
import { verifyCertificate } from './verify';

export type SyncStatus = { state: 'synced' | 'syncing' | 'offline'; height: bigint; target: bigint; peers: number };

const BATCH = 64;
const MAX_RESPONSE = 2 * 1024 * 1024;
const num = (n: bigint | number) => bigIntToUnpaddedBytes(BigInt(n));
const toBig = (b: unknown) => (b instanceof Uint8Array ? (b.length ? bytesToBigInt(b) : 0n) : -1n);

export class Syncer {
  status: SyncStatus;

  constructor(
    private readonly ledger: Ledger,
    private readonly contexts: ContextCache,
    private readonly transport: PoeTransport,
    private readonly logger: Logger,
  ) {
    const h = ledger.head.header.number;
    this.status = { state: 'synced', height: h, target: h, peers: 0 };
  }

  /** Serves a peer's request from our ledger. */
  async answer(req: Uint8Array): Promise<Uint8Array> {
    const l = RLP.decode(req) as unknown[];
    if (!Array.isArray(l) || l.length === 0) throw new BuError('BAD_INPUT', 'bad sync request');
    const kind = toBig(l[0]);
    const head = this.ledger.head;
    if (kind === 1n) return RLP.encode([num(head.header.number), head.hash()]);
    if (kind !== 2n) throw new BuError('BAD_INPUT', 'unknown sync request');
    const from = toBig(l[1]);
    const count = Math.min(BATCH, Number(toBig(l[2])));
    const out: Uint8Array[][] = [];
    let size = 0;
    for (let n = from; n >= 1n && n <= head.header.number && out.length < count && size < MAX_RESPONSE; n++) {
      const b = this.ledger.blockByNumber(n)!;
      const body = this.ledger.aux(b.hash(), BODY_AUX);
      const cert = this.ledger.aux(b.hash(), CERT_AUX);
      if (!body || !cert) break;
      const rlp = b.serialize();
      size += rlp.length + body.length + cert.length;
      out.push([rlp, body, cert]);
    }
    return RLP.encode(out);
  }

  /**
   * Imports every final block our peers have beyond our head, from the peer claiming the
   * highest head first; a peer whose blocks fail (or that lied about its head) is left for
   * the next one. Returns how many blocks were adopted.
   */
  async catchUp(): Promise<number> {
    const peers = this.transport.peers();
    this.status.peers = peers.length;
    // all peers at once: a dead or slow one costs its timeout once, not once per peer
    const asked = await Promise.all(
      peers.map(async (p) => {
        try {
          const r = RLP.decode(await this.transport.request(p.address, RLP.encode([num(1)]), 3000)) as unknown[];
          return { peer: p.address, height: toBig(r[0]) };
        } catch {
          return null; // unreachable or slow peers are skipped
        }
      }),
    );
    const heads = asked.filter((h): h is { peer: string; height: bigint } => h !== null);
    heads.sort((a, b) => (a.height > b.height ? -1 : a.height < b.height ? 1 : 0));
    const mine = this.ledger.head.header.number;
    const best = heads[0];
    this.status = { ...this.status, height: mine, target: best && best.height > mine ? best.height : mine, state: 'synced' };
    if (!best || best.height <= mine) return 0;
    this.status.state = 'syncing';
    let imported = 0;
    try {
      for (const p of heads) {
        if (p.height <= this.ledger.head.header.number) break;
        imported += await this.fetchFrom(p);
      }
    } finally {
      this.status.state = 'synced';
      this.status.height = this.ledger.head.header.number;
    }
    if (imported) this.logger.info('poe: caught up', { blocks: imported, head: Number(this.ledger.head.header.number) });
    return imported;
  }

  /** Adopts `p`'s blocks up to the head it claimed; stops at the first one that fails. */
  private async fetchFrom(p: { peer: string; height: bigint }): Promise<number> {
    let imported = 0;
    try {
      while (this.ledger.head.header.number < p.height) {
        const from = this.ledger.head.header.number + 1n;
        const resp = RLP.decode(await this.transport.request(p.peer, RLP.encode([num(2), num(from), num(BATCH)]), 15_000)) as unknown[];
        if (!Array.isArray(resp) || resp.length === 0) break;
        for (const item of resp) {
          if (!Array.isArray(item) || item.length !== 3) throw new BuError('BAD_INPUT', 'malformed sync response');
          await this.adopt(item[0] as Uint8Array, item[1] as Uint8Array, item[2] as Uint8Array);
          imported++;
          this.status.height = this.ledger.head.header.number;
        }
      }
    } catch (err) {
      this.logger.warn('poe: sync from a peer failed', { peer: p.peer, error: String(err).slice(0, 200) });
    }
    return imported;
  }

  /** Verifies one block completely against our head and stores it. */
  async adopt(blockRlp: Uint8Array, body: Uint8Array, certBytes: Uint8Array): Promise<void> {
    const parent = this.ledger.head;
    const block = this.ledger.decodeBlock(blockRlp);
    const height = parent.header.number + 1n;
    const ctx = await this.contexts.forHeight(height);
    const parentCtx = height > 1n ? await this.contexts.forHeight(height - 1n) : null;
    checkPoeBlock(ctx, parentCtx, block, body, parent);
    verifyCertificate(ctx, decodeCertificate(certBytes), block.hash());
    await this.ledger.importBlock(block, { [BODY_AUX]: body, [CERT_AUX]: certBytes });
  }
}
