/**
 * @module seal/tx-gossip
 * Transactions reach every primary's pool: one sent to our RPC (or wallet) is broadcast as a
 * TX message; one that arrives by gossip goes into our pool and is relayed by the transport
 * (the consumer said valid), never broadcast a second time by us.
 */
import { bytesToHex } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Mempool } from '../chain';
import { encodeMessage, MsgType } from './codec';
import type { PoeTransport } from './transport';

export class TxGossip {
  private readonly fromGossip = new Set<string>();

  constructor(
    private readonly mempool: Mempool,
    private readonly transport: PoeTransport,
  ) {}

  /** Call for each transaction the pool accepted. */
  added(p: { hash: string; raw: Uint8Array }): void {
    if (!this.fromGossip.delete(p.hash)) this.transport.broadcast(encodeMessage({ type: MsgType.TX, raw: p.raw }));
  }

  /** A TX message: true when our pool took it (relay it on). */
  async received(raw: Uint8Array): Promise<boolean> {
    const hash = bytesToHex(keccak_256(raw)); // a transaction's hash is keccak256 of its encoding
    this.fromGossip.add(hash);
    if (this.fromGossip.size > 10_000) this.fromGossip.delete(this.fromGossip.values().next().value!);
    try {
      await this.mempool.add(raw);
      return true;
    } catch {
      this.fromGossip.delete(hash);
      return false;
    }
  }
}
