/**
 * @module chain/export
 * `exportChain` writes a ledger's canonical blocks in geth's export format (the blocks' RLP
 * one after another, gzip for a `.gz` name; block-file.ts), genesis included by default as
 * `geth export` does, so `chain import` — or `geth import` — can rebuild the chain elsewhere.
 * The blocks are copied as stored (no re-encoding); the file appears under its name only
 * once complete.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuError, silentLogger, type Logger } from '../base';
import { BlockFileWriter } from './block-file';
import { CHAIN_DB_FILE, headOf, type ChainHead } from './import';
import { Ledger } from './ledger';

export type ExportOptions = {
  dataDir: string;
  /** Output file (geth export format; gzip when it ends in .gz). */
  out: string;
  /** First and last block number (default: 0 and the head). */
  from?: number;
  to?: number;
  logger?: Logger;
  nativeBinding?: string;
};

export type ExportResult = { exported: number; from: number; to: number; head: ChainHead };

export async function exportChain(opts: ExportOptions): Promise<ExportResult> {
  const logger = opts.logger ?? silentLogger;
  const file = join(opts.dataDir, CHAIN_DB_FILE);
  if (!existsSync(file)) throw new BuError('BAD_INPUT', `There is no chain in ${opts.dataDir} (${file} does not exist).`);
  const ledger = await Ledger.open({ file, logger: opts.logger, nativeBinding: opts.nativeBinding });
  try {
    const headNumber = Number(ledger.head.header.number);
    const from = opts.from ?? 0;
    const to = opts.to ?? headNumber;
    for (const [name, v] of [['from', from], ['to', to]] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new BuError('BAD_INPUT', `--${name} must be a block number (got ${v}).`);
    }
    if (from > to) throw new BuError('BAD_INPUT', `The range is empty: from ${from} is after to ${to}.`);
    if (to > headNumber) throw new BuError('BAD_INPUT', `The chain in ${opts.dataDir} ends at block ${headNumber}; it has no block ${to}.`);
    const writer = new BlockFileWriter(opts.out);
    try {
      for (let n = from; n <= to; n++) {
        const hash = ledger.db.canonical(n);
        const row = hash ? ledger.db.block(hash) : undefined;
        if (!row) throw new BuError('INTERNAL', `The chain database is damaged (block ${n} missing).`);
        await writer.write(row.rlp);
      }
      await writer.finish();
    } catch (e) {
      writer.abort();
      throw e;
    }
    const result = { exported: to - from + 1, from, to, head: headOf(ledger.head) };
    logger.info('chain exported', { out: opts.out, from, to });
    return result;
  } finally {
    await ledger.close();
  }
}
