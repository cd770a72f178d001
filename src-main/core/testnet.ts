/**
 * @module testnet
 * N nodes on 127.0.0.1 (port 0) in throwaway data dirs, for tests and benchmarks. Accounts are
 * created with a cheap vault KDF; everything else is the real stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNode, type BuNode, type NodeOptions } from './node';
import { generateMnemonic } from './account';
import { waitFor as waitUntil } from './base';

export const TEST_PASSWORD = 'correct horse battery';

export type TestNode = BuNode & { name: string; address: string; dir: string };

export function tempDir(prefix = 'bu-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Open a node on `dir`, creating the account if needed, and unlock it. */
export async function startTestNode(
  name: string,
  dir: string = tempDir(),
  extra: Partial<NodeOptions> = {},
): Promise<TestNode> {
  const node = await createNode({ dataDir: dir, listen: { host: '127.0.0.1', port: 0 }, scryptN: 2 ** 10, ...extra });
  const h = node.handlers;
  const st = await h['app.getState']({});
  const s =
    st.phase === 'no-account'
      ? await h['account.create']({ mnemonic: generateMnemonic(), password: TEST_PASSWORD, name })
      : await h['account.unlock']({ password: TEST_PASSWORD });
  return Object.assign(node, { name, address: s.address!, dir });
}

/** a adds b's invite, b accepts; resolves when both see each other as friends. */
export async function befriend(a: TestNode, b: TestNode, timeoutMs = 10_000): Promise<void> {
  const { link } = await b.handlers['contacts.invite']({});
  await a.handlers['contacts.add']({ invite: link });
  await waitFor(async () => (await b.handlers['contacts.requests']({})).some((c) => c.address === a.address), timeoutMs);
  await b.handlers['contacts.accept']({ address: a.address });
  await waitFor(async () => {
    const list = await a.handlers['contacts.list']({});
    return list.some((c) => c.address === b.address && c.state === 'friend');
  }, timeoutMs);
}

/** Poll until `cond` holds (testnet callers pass the poll step as the third argument). */
export function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, stepMs = 25): Promise<void> {
  return waitUntil(cond, timeoutMs, 'condition', stepMs);
}

export async function stopAll(nodes: Array<BuNode | null | undefined>, dirs: string[] = []): Promise<void> {
  await Promise.all(nodes.map((n) => n?.close().catch(() => undefined)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
