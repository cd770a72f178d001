/**
 * @module dht/record-collector
 * Client side of a record lookup: every copy a node returns is checked like a storing node
 * would (cheap checks first: strict decode, key ↔ address ‖ appId, expiry), and the signature
 * is verified only for a copy that would beat the best verified one (higher seq) — identical
 * bytes are verified once. The highest verified seq wins (BEP 44: newest sequence number).
 */
import { bytesEqual, toHex } from '../base';
import { sha256 } from '../crypto';
import { MAX_RECORD_TTL_SEC } from './constants';
import { decodeRecord, recordAddress, recordKey, verifyRecord, type DhtRecord } from './record';
import { isDhtWireError } from './wire';

/** Clock skew tolerated between the owner and us when checking the expiry bound. */
const SKEW_SEC = 300;

export class RecordCollector {
  private bestRecord: DhtRecord | null = null;
  private readonly verified = new Set<string>();
  /** Valid copies seen (including repeats of the best one). */
  found = 0;

  constructor(
    private readonly key: Uint8Array,
    private readonly now: () => number,
    private readonly onVerify: () => void,
  ) {}

  consider(bytes: Uint8Array): void {
    let rec: DhtRecord;
    try {
      rec = decodeRecord(bytes);
    } catch (e) {
      if (isDhtWireError(e)) return;
      throw e;
    }
    const nowSec = Math.floor(this.now() / 1000);
    if (rec.expiresAt <= nowSec || rec.expiresAt > nowSec + MAX_RECORD_TTL_SEC + SKEW_SEC) return;
    const fp = toHex(sha256(bytes));
    if (this.verified.has(fp)) {
      this.found++;
      return;
    }
    if (this.bestRecord && rec.seq <= this.bestRecord.seq) return;
    const address = recordAddress(rec);
    if (!address || !bytesEqual(recordKey(address, rec.appId), this.key)) return;
    this.onVerify();
    if (!verifyRecord(rec)) return;
    this.verified.add(fp);
    this.bestRecord = rec;
    this.found++;
  }

  best(): DhtRecord | null {
    return this.bestRecord;
  }
}
