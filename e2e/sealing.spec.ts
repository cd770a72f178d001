/**
 * The sealing worker's idle policy driven through the headless shell (issue 9 items 6 and 8):
 * the embedded POE devnet registers the new profile's sealer key at genesis; in mode "when
 * idle" the worker is paused while the user is active; `bitunicom node sealing` and the mode
 * picker change the mode and cap; `bitunicom node idle --state idle` makes the user away →
 * "Sealing", and the worker thread of the built app seals the devnet's blocks (seals made > 0,
 * in the chart); then moving the mouse in the page pauses it again ("Paused — You are using
 * the computer") within 2 seconds. `node status --json` agrees.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, waitForTestIdText } from './support/app';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

const CLI = process.env.BITUNICOM_CLI ?? fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
const run = promisify(execFile);

let browser: Browser;
let served: Served | null = null;
const dir = mkdtempSync(join(tmpdir(), 'bu-e2e-sealing-'));

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--data', dir], { env: { ...process.env, BITUNICOM_PASSWORD: '' } });
  return stdout;
}

async function waitForState(page: Page, text: string, timeoutMs = 15_000): Promise<number> {
  return (await waitForTestIdText(page, 'sealing-state', (t) => t === text, { timeoutMs, label: 'Sealing card', want: `"${text}"`, stepMs: 50 })).ms;
}

async function sealsShown(page: Page): Promise<number> {
  return Number(await page.getByTestId('sealing-seals').innerText());
}

describe('sealing while idle, through the headless shell', () => {
  it('pauses on user input within 2 s, seals when the user is away, and follows mode changes', async () => {
    served = await serve(dir, {}, ['--rpc-port', '0', '--block-time', '1']);
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(served.url);
    await page.getByTestId('onboarding-welcome').waitFor();
    await createAccount(page, 'Sealy');
    await page.getByTestId('nav-node').click();
    await page.getByTestId('sealing-card').waitFor();
    // The embedded devnet registers this profile's sealer key in its genesis; the user was just
    // typing, so in mode "when idle" the worker waits.
    await waitForState(page, 'Paused — You are using the computer', 30_000);
    expect(await page.getByTestId('sealing-reason').innerText()).toMatch(/starts again by itself/);
    expect(await page.getByTestId('sealing-seals').innerText()).toBe('0');

    // Mode from the CLI: "always" seals even now (throttled to 5 %); back to "when idle" in the UI.
    expect(await cli('node', 'sealing', '--mode', 'always', '--cpu-cap', '40')).toContain('Sealing:     Sealing (mode: always)');
    await waitForState(page, 'Sealing');
    await page.getByTestId('sealing-cpu-cap-value').filter({ hasText: '40% of one core' }).waitFor();
    await page.getByTestId('sealing-mode-idle').click();
    await waitForState(page, 'Paused — You are using the computer');
    expect(await page.getByTestId('sealing-mode-idle').getAttribute('aria-checked')).toBe('true');

    // The user goes away (the headless idle source, from the CLI): it seals.
    await page.waitForTimeout(1200); // let the click's activity ping (≤ 1/s) go first
    expect(await cli('node', 'idle', '--state', 'idle')).toMatch(/counts you as away/);
    await waitForState(page, 'Sealing', 5_000);
    const away = JSON.parse(await cli('node', 'status', '--json')) as { sealing: { state: string; mode: string; cpuCapPercent: number } };
    expect(away.sealing).toMatchObject({ state: 'sealing', mode: 'idle', cpuCapPercent: 40 });
    // The worker thread (out/main/sealing-worker.js) re-executes the devnet's proposals and seals them.
    for (const until = Date.now() + 45_000; (await sealsShown(page)) === 0; await page.waitForTimeout(200)) {
      if (Date.now() > until) throw new Error('no seal within 45 s of the user going away');
    }
    expect(Number(await page.getByTestId('sealing-chart').getAttribute('data-seals'))).toBeGreaterThan(0);

    // The user comes back: a mouse move in the page pauses it within 2 s.
    await page.mouse.move(300, 300);
    await page.mouse.move(420, 360, { steps: 5 });
    const ms = await waitForState(page, 'Paused — You are using the computer', 2_000);
    expect(ms).toBeLessThan(2_000);
    expect(await page.getByTestId('sealing-reason').innerText()).toMatch(/starts again by itself/);
    const back = JSON.parse(await cli('node', 'status', '--json')) as { sealing: { state: string; reason: string } };
    expect(back.sealing).toMatchObject({ state: 'paused', reason: 'You are using the computer' });
    await page.getByTestId('sealing-card').screenshot({ path: join(tmpdir(), 'bu-e2e-sealing-card.png') });
    expect(await page.getByTestId('sealing-state').getAttribute('data-state')).toBe('paused');
  });
});
