/**
 * The user's sealer registration in the Sealing card (issue 9, seed 003's pledge), driven
 * through the headless shell: the embedded POE devnet registers the new profile as a sealer at
 * genesis with the minimum (100 tokens) → "Registered — 100 tokens staked". "Stop sealing" →
 * confirm → "Leaving — withdrawable from block N (now M)", "Withdraw stake" disabled with its
 * reason; the devnet makes a block a second, so after the 64-block unbonding delay "Withdraw
 * stake" → confirm → "Not registered"; "Register as a sealer" with 150 (the field first refuses
 * 50, under the minimum) → "Registered — 150 tokens staked". Esc closes a dialog; `node status`
 * of the CLI is not involved: every step is what the card reads from sealing.stakeInfo.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, waitForTestIdText } from './support/app';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

let browser: Browser;
let served: Served | null = null;
const dir = mkdtempSync(join(tmpdir(), 'bu-e2e-stake-'));

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitForStake(page: Page, want: RegExp, timeoutMs = 30_000): Promise<string> {
  return (await waitForTestIdText(page, 'stake-status', (t) => want.test(t), { timeoutMs, label: 'Stake row', want: String(want) })).text;
}

/** The data-testid of the focused element (an expression: e2e code has no DOM types). */
const focused = (page: Page) => page.evaluate<string | null>(`document.activeElement?.getAttribute('data-testid') ?? null`);

const num = (s: string) => Number(s.replace(/[^\d]/g, ''));

describe('the sealer registration in the Sealing card', () => {
  it('stops sealing, withdraws after the unbonding delay, and registers again with 150 tokens', async () => {
    served = await serve(dir, {}, ['--rpc-port', '0', '--block-time', '1']);
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(served.url);
    await page.getByTestId('onboarding-welcome').waitFor();
    await createAccount(page, 'Staky');
    await page.getByTestId('nav-node').click();
    await page.getByTestId('sealing-card').waitFor();

    // Registered at genesis with the minimum.
    expect(await waitForStake(page, /^Registered/)).toBe('Registered — 100 tokens staked');
    const stop = page.getByTestId('stake-exit');
    expect(await stop.isEnabled()).toBe(true);

    // Esc closes the confirmation without sending anything.
    await stop.click();
    const exitDialog = page.getByTestId('stake-dialog-exit');
    await exitDialog.waitFor();
    expect(await exitDialog.innerText()).toMatch(/unbonds for about 64 blocks/);
    expect(await focused(page)).toBe('confirm-action');
    await page.keyboard.press('Escape');
    await exitDialog.waitFor({ state: 'detached' });
    expect(await waitForStake(page, /^Registered — 100 tokens staked$/, 1000)).toBe('Registered — 100 tokens staked');

    // Stop sealing → confirm → Leaving, with the block the stake can be withdrawn from.
    await stop.click();
    await exitDialog.getByTestId('confirm-action').click();
    const leaving = await waitForStake(page, /^Leaving — withdrawable from block/);
    await exitDialog.waitFor({ state: 'detached', timeout: 10_000 });
    const m = /^Leaving — withdrawable from block ([\d,]+) \(now ([\d,]+)\)$/.exec(leaving);
    expect(m, leaving).not.toBeNull();
    const withdrawableAt = num(m![1]!);
    const now = num(m![2]!);
    expect(withdrawableAt - now).toBeGreaterThan(60);
    expect(withdrawableAt - now).toBeLessThanOrEqual(64);
    await page.getByTestId('toast-success').filter({ hasText: 'You stopped sealing' }).waitFor();
    const withdraw = page.getByTestId('stake-withdraw');
    expect(await withdraw.isDisabled()).toBe(true);
    expect(await page.getByTestId('stake-disabled-reason').innerText()).toMatch(new RegExp(`^The stake unbonds until block ${withdrawableAt}: \\d+ more blocks`));
    expect(await withdraw.getAttribute('aria-describedby')).toBe(await page.getByTestId('stake-disabled-reason').getAttribute('id'));
    await page.getByTestId('sealing-card').screenshot({ path: join(tmpdir(), 'bu-e2e-stake-leaving.png') });

    // A block a second: the delay passes in about a minute; the card follows the head.
    await waitForStake(page, /can be withdrawn now$/, 120_000);
    expect(await withdraw.isEnabled()).toBe(true);
    expect(await page.getByTestId('stake-disabled-reason').count()).toBe(0);
    await withdraw.click();
    const withdrawDialog = page.getByTestId('stake-dialog-withdraw');
    expect(await withdrawDialog.getByTestId('confirm-action').innerText()).toBe('Withdraw 100 tokens');
    await withdrawDialog.getByTestId('confirm-action').click();
    expect(await waitForStake(page, /^Not registered/)).toBe('Not registered — sealing earns nothing until you stake (minimum 100)');
    await withdrawDialog.waitFor({ state: 'detached', timeout: 10_000 });

    // Register again with 150: the field is prefilled with the minimum and refuses less.
    await page.getByTestId('stake-register').click();
    const registerDialog = page.getByTestId('stake-dialog-register');
    const amount = registerDialog.getByTestId('stake-amount');
    expect(await amount.inputValue()).toBe('100');
    // keyboard first: the amount has the focus, and Tab stays inside the dialog
    expect(await focused(page)).toBe('stake-amount');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>(`!!document.activeElement?.closest('[data-testid="stake-dialog-register"]')`)).toBe(true);
    await amount.focus();
    expect(await registerDialog.getByTestId('stake-facts').innerText()).toMatch(/tokens are locked[\s\S]*sealing rewards[\s\S]*unbonding delay/);
    await amount.fill('50');
    expect(await registerDialog.getByTestId('stake-amount-error').innerText()).toBe('The minimum stake is 100 tokens.');
    await registerDialog.getByTestId('confirm-action').click();
    expect(await page.getByTestId('stake-status').innerText()).toMatch(/^Not registered/); // nothing sent
    await amount.fill('150');
    expect(await registerDialog.getByTestId('stake-amount-error').count()).toBe(0);
    expect(await registerDialog.getByTestId('confirm-action').innerText()).toBe('Stake 150 tokens and register');
    await registerDialog.screenshot({ path: join(tmpdir(), 'bu-e2e-stake-register.png') });
    await amount.press('Enter');
    expect(await waitForStake(page, /^Registered/)).toBe('Registered — 150 tokens staked');
    await registerDialog.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByTestId('stake-exit').isEnabled()).toBe(true);
    expect(await page.getByTestId('stake-failed').count()).toBe(0);
  }, 180_000);
});
