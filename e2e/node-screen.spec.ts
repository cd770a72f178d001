/**
 * The Node screen of a headless instance (`bitunicom serve`) in Debian's Chromium: after the
 * account is created the embedded devnet runs; the screen shows its RPC URL (the one `serve`
 * prints as `RPC: …` and that answers eth_blockNumber) and a head block number that keeps
 * increasing as blocks arrive through `node.status` events; "Reset devnet" starts it over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from './support/app';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

let browser: Browser;
let served: Served | null = null;
const dir = mkdtempSync(join(tmpdir(), 'bu-e2e-node-'));

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function headNumber(page: Page): Promise<number> {
  return Number(await page.getByTestId('chain-head').locator('[data-number]').getAttribute('data-number'));
}

async function waitForHeadAbove(page: Page, n: number, timeoutMs = 20_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const h = await headNumber(page).catch(() => -1);
    if (h > n) return h;
    if (Date.now() > until) throw new Error(`head stayed at ${h} (wanted > ${n})`);
    await page.waitForTimeout(200);
  }
}

async function rpcBlockNumber(url: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }) });
  const body = (await res.json()) as { result: string };
  return Number(BigInt(body.result));
}

describe('the Node screen', () => {
  it('shows the RPC URL and a head block that increases; reset starts the devnet over', async () => {
    served = await serve(dir, {}, ['--rpc-port', '0', '--block-time', '1']);
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 860 } })).newPage();
    await page.goto(served.url);
    await page.getByTestId('onboarding-welcome').waitFor();
    await createAccount(page, 'Nodey');

    await page.getByTestId('nav-node').click();
    await page.getByTestId('node-screen').waitFor();
    expect(await page.getByTestId('nav-node').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('nav-chats').getAttribute('aria-current')).toBeNull();

    const rpc = page.getByTestId('rpc-url');
    await rpc.waitFor({ timeout: 30_000 });
    const url = (await rpc.innerText()).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.output.map((l) => l.trim())).toContain(`RPC: ${url}`);
    // Each profile's devnet has its own chain id (16981·10⁵ + two bytes of its wallet address).
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }) });
    const chainId = Number(((await answer.json()) as { result: string }).result);
    expect(chainId).toBeGreaterThanOrEqual(1_698_100_000);
    expect(chainId).toBeLessThanOrEqual(1_698_165_535);
    expect(await page.getByTestId('chain-id').innerText()).toContain(String(chainId));

    const first = await waitForHeadAbove(page, -1);
    const later = await waitForHeadAbove(page, first);
    expect(later).toBeGreaterThan(first);
    // The screen and the RPC agree (the RPC may be a block or two ahead).
    const onRpc = await rpcBlockNumber(url);
    expect(onRpc).toBeGreaterThanOrEqual(later);
    expect(onRpc - later).toBeLessThan(5);
    await page.screenshot({ path: join(tmpdir(), 'bu-e2e-node-screen.png') });

    // Reset: confirm, and the head starts again near genesis.
    const before = await waitForHeadAbove(page, 2);
    await page.getByTestId('devnet-reset').click();
    await page.getByTestId('devnet-reset-dialog').waitFor();
    await page.getByTestId('confirm-action').click();
    await page.getByTestId('devnet-reset-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('toast-success').first().waitFor();
    expect(await headNumber(page)).toBeLessThan(before);
    // The restarted chain may listen on another port when none was fixed: ask the one shown.
    const after = (await page.getByTestId('rpc-url').innerText()).trim();
    expect(await rpcBlockNumber(after)).toBeLessThan(before);

    // Ctrl+1 goes back to the chats.
    await page.keyboard.press('Control+1');
    await page.getByTestId('chats-screen').waitFor();
  });
});
