/**
 * @module chain/testing
 * A devnet for tests and benchmarks: the real ledger, mempool, producer and RPC server on
 * 127.0.0.1:0, with a genesis from the shipped template whose wallet and extra test
 * accounts are funded, and the test token deployed in genesis. Not used by the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../base';
import type { DevnetGenesis } from './devnet';
import { ChainService } from './service';
import { testAccounts, testDevnetGenesis, type TestAccount } from './test-genesis';

export { RESOURCES_DIR, testAccounts, testDevnetGenesis, type TestAccount } from './test-genesis';

export type TestDevnet = {
  service: ChainService;
  rpcUrl: string;
  accounts: TestAccount[];
  genesis: DevnetGenesis;
  /** Address of the genesis test token (holder: accounts[0]). */
  token: string;
  dir: string;
  close(opts?: { keep?: boolean }): Promise<void>;
};

export async function startTestDevnet(
  o: { accounts?: number; intervalMs?: number; dir?: string; genesis?: DevnetGenesis; logger?: Logger; producer?: boolean } = {},
): Promise<TestDevnet> {
  const accounts = testAccounts(o.accounts ?? 4);
  const genesis = o.genesis ?? (await testDevnetGenesis(accounts));
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'bu-devnet-'));
  const service = await ChainService.start({
    dir,
    genesis,
    producer: o.producer === false ? null : { intervalMs: o.intervalMs ?? 60_000, batchDelayMs: 5 },
    rpc: { ports: [0] },
    clientVersion: 'BitUnicom/test',
    logger: o.logger,
  });
  return {
    service,
    rpcUrl: service.rpcUrl!,
    accounts,
    genesis,
    token: genesis.bitunicom.contracts[0]!.address!,
    dir,
    async close(c = {}) {
      await service.close();
      if (!c.keep && !o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
