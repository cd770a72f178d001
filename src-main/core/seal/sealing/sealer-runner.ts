/**
 * @module seal/sealing/sealer-runner
 * The production job of the sealing worker: the lead's pure `Sealer` (seal/sealer.ts) over a
 * read-only reader of the node's own chain.db (`Ledger.open({ readOnly: true })`; SQLite WAL
 * lets it read while the node's writer commits). For each job it draws the seal tickets of our
 * keys; only when one wins does it bring the reader to the writer's head (`refresh()`) and
 * re-execute the proposed block on it (`checkBlock`), checkpointing before and after each step
 * so a pause or a stale round takes effect between them. A block that does not extend the
 * head the reader sees (height ≠ head + 1) is not sealed: a seal vouches for an execution.
 * The reader has the chain's own precompiles (the BLS check at 0x…0B15), as the writer does.
 */
import { Ledger, blsVerifyPrecompile } from '../../chain';
import { Sealer, type SealJob, type SealerKey } from '../sealer';
import type { JobContext, JobRunner } from './protocol';

export type SealerRunnerInit = {
  keys: SealerKey[];
  /** `<profile>/chain/chain.db` */
  ledgerFile: string;
  nativeBinding?: string;
};

export async function createRunner(raw: unknown): Promise<JobRunner> {
  const init = raw as SealerRunnerInit;
  const sealer = new Sealer(init.keys);
  let ledger: Ledger | null = null;
  // The same precompiles as the node's writer (the staking contract verifies BLS through 0x…0B15).
  const reader = async () =>
    (ledger ??= await Ledger.open({ file: init.ledgerFile, readOnly: true, nativeBinding: init.nativeBinding, precompiles: [blsVerifyPrecompile()] }));
  return async (rawJob: unknown, ctx: JobContext) => {
    const job = rawJob as SealJob;
    await ctx.checkpoint();
    return sealer.process(job, async (blockRlp) => {
      await ctx.checkpoint();
      const l = await reader();
      const head = await l.refresh();
      if (head.header.number + 1n !== job.height) return false;
      await ctx.checkpoint();
      try {
        await l.checkBlock(blockRlp);
      } catch {
        return false;
      }
      await ctx.checkpoint();
      return true;
    });
  };
}
