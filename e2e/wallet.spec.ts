/**
 * The Wallet screen (issue 10) through the real React UI of the headless shell in Debian's
 * Chromium: the devnet prefunds the new profile's first account, so Wallet shows a balance;
 * Receive shows the QR code and the EIP-681 link with the address (and the amount once typed);
 * the genesis test token is removed and added back by its address (symbol and decimals read
 * from chain before it is kept) with its balance; a second HD account is added in the UI and
 * paid 2 BU (review → confirm → the activity item goes pending → confirmed, the second
 * account's balance shows 2 BU) and 5 test tokens; a watch-only address cannot send and is
 * removed again; an anvil started with the profile's recovery phrase is added as a network and
 * shows its prefunded balance, and a pending send there is sped up (the replacement confirmed,
 * the original replaced); a dead RPC URL is refused in words, and once anvil stops the
 * balance card and the network picker say "Unreachable" instead of spinning; the network is
 * renamed and the devnet selected again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../src-main/core/wallet/anvil-fixture';
import { createAccount, waitForTestIdText } from './support/app';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

let browser: Browser;
let served: Served | null = null;
let anvil: Anvil | null = null;
const dir = mkdtempSync(join(tmpdir(), 'bu-e2e-wallet-'));
const CHAIN_WAIT = 60_000;
/** A positive amount as the node formats it (digit groups may be split by spaces, "10 000"; a long fraction ends in "…"). */
const POS = String.raw`[1-9][\d\s\u00a0\u202f,]*(?:\.\d+…?)?`;
const amountRe = (symbol: string) => new RegExp(`^${POS} ${symbol}$`);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await anvil?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const balance = (page: Page, want: RegExp, timeoutMs = CHAIN_WAIT) =>
  waitForTestIdText(page, 'wallet-balance-native', (t) => want.test(t), { timeoutMs, label: 'native balance', want: String(want) }).then((r) => r.text);

/** Records every status each activity item shows from now on (`hash:status`); page code is a string (no DOM types here). */
const RECORD = `(() => {
  const seen = (window.__walletSeen = []);
  const scan = () => document.querySelectorAll('[data-testid="activity-item"]').forEach((el) => {
    const key = el.dataset.hash + ':' + el.dataset.status;
    if (!seen.includes(key)) seen.push(key);
  });
  scan();
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})()`;

async function pickAccount(page: Page, address: string): Promise<void> {
  await page.getByTestId('account-picker').click();
  await page.locator(`[data-testid="account-option"][data-address="${address}"] .wallet-option-main`).click();
  await expect.poll(() => page.getByTestId('account-current').getAttribute('data-address')).toBe(address);
}

async function addNetwork(page: Page, f: { name: string; rpc: string; chainId?: string; symbol?: string }): Promise<void> {
  await page.getByTestId('network-picker').click();
  await page.getByTestId('network-add').click();
  await page.getByTestId('add-network').waitFor();
  await page.getByTestId('add-network-name').fill(f.name);
  await page.getByTestId('add-network-rpc').fill(f.rpc);
  if (f.chainId) await page.getByTestId('add-network-chain-id').fill(f.chainId);
  if (f.symbol) await page.getByTestId('add-network-symbol').fill(f.symbol);
  await page.getByTestId('add-network-symbol').press('Enter');
}

describe('the Wallet screen', () => {
  it('shows the devnet balance, receives, sends between HD accounts, follows a token and adds networks', async () => {
    served = await serve(dir, {}, ['--rpc-port', '0', '--block-time', '1']);
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(served.url);
    await page.getByTestId('onboarding-welcome').waitFor();
    const words = await createAccount(page, 'Walleta');

    await page.getByTestId('nav-wallet').click();
    await page.getByTestId('wallet-screen').waitFor();
    await expect.poll(() => page.getByTestId('account-current').getAttribute('data-address'), { timeout: 20_000 }).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const first = (await page.getByTestId('account-current').getAttribute('data-address'))!;
    expect(await balance(page, amountRe('BU'))).toMatch(/BU$/);
    expect(await page.getByTestId('network-current').innerText()).toMatch(/devnet/i);

    // Receive: QR + EIP-681 link with the address; an amount updates the link.
    await page.getByTestId('wallet-receive').click();
    await page.getByTestId('receive-qr').waitFor();
    expect(await page.getByTestId('receive-address').innerText()).toBe(first);
    const link = (await page.getByTestId('receive-link').innerText()).trim();
    expect(link.toLowerCase()).toContain(`ethereum:${first.toLowerCase()}`);
    await page.getByTestId('receive-amount').fill('1.5');
    await expect.poll(async () => (await page.getByTestId('receive-link').innerText()).trim(), { timeout: 5000 }).not.toBe(link);
    expect(await page.getByTestId('receive-link').innerText()).toMatch(/value=1\.5e18|value=1500000000000000000/);
    await page.keyboard.press('Escape');
    await page.getByTestId('receive-dialog').waitFor({ state: 'detached' });

    // The genesis test token is followed by default: remove it, add it back by its address.
    const tokenRow = page.getByTestId('token-row').first();
    await tokenRow.waitFor({ timeout: CHAIN_WAIT });
    const tokenAddress = (await tokenRow.getAttribute('data-address'))!;
    const symbol = (await tokenRow.getAttribute('data-symbol'))!;
    await tokenRow.getByTestId('token-remove').click();
    await page.getByTestId('token-row').waitFor({ state: 'detached' });
    await page.getByTestId('add-token-open').click();
    await page.getByTestId('add-token-address').fill(tokenAddress);
    await page.getByTestId('add-token-address').press('Enter');
    await page.getByTestId('add-token-preview').waitFor();
    expect(await page.getByTestId('add-token-symbol').innerText()).toBe(symbol);
    expect(await page.getByTestId('add-token-decimals').innerText()).toBe('18');
    await page.getByTestId('add-token-submit').click();
    await page.getByTestId('add-token').waitFor({ state: 'detached' });
    const row = page.locator(`[data-testid="token-row"][data-address="${tokenAddress}"]`);
    await row.waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\nthe card shows: ${await page.getByTestId('wallet-balance').innerText()}\n${(await page.locator('[data-testid="token-row"]').evaluateAll((els) => els.map((el) => el.outerHTML))).join('\n')}`);
    });
    await expect.poll(async () => row.getByTestId('token-balance').innerText(), { timeout: CHAIN_WAIT }).toMatch(amountRe(symbol));

    // A second HD account, added in the UI (it becomes the current one).
    await page.getByTestId('account-picker').click();
    await page.getByTestId('account-add').click();
    await page.getByTestId('account-name-input').fill('Savings');
    await page.getByTestId('account-name-input').press('Enter');
    await expect.poll(() => page.getByTestId('account-current-name').innerText()).toBe('Savings');
    const second = (await page.getByTestId('account-current').getAttribute('data-address'))!;
    expect(second.toLowerCase()).not.toBe(first.toLowerCase());
    expect(await balance(page, /^0 BU$/)).toBe('0 BU');

    // Send 2 BU from the first account to the second: review, confirm, pending → confirmed.
    await pickAccount(page, first);
    await balance(page, /^[1-9]/);
    await page.evaluate(RECORD);
    await page.getByTestId('wallet-send').click();
    await page.getByTestId('send-to').fill(second);
    await page.getByTestId('send-amount').fill('2');
    await page.getByTestId('send-review').click();
    await page.getByTestId('send-quote').waitFor();
    expect(await page.getByTestId('send-quote-amount').innerText()).toBe('2 BU');
    // The total is the node's sentence ("2 BU + at most … fee" or "at most 2.00… BU"): it names 2-point-something BU.
    expect(await page.getByTestId('send-quote-total').innerText()).toMatch(/\b2(\.\d+)? BU\b/);
    expect(await page.getByTestId('send-quote-fee').innerText()).toMatch(/^at most 0\.\d+ BU$/);
    expect(await page.getByTestId('send-confirm').isEnabled()).toBe(true);
    await page.getByTestId('send-confirm').click();
    await page.getByTestId('send-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('toast-success').filter({ hasText: 'Sent 2 BU' }).waitFor();
    const item = page.getByTestId('activity-item').first();
    await item.waitFor();
    const hash = (await item.getAttribute('data-hash'))!;
    await page.locator(`[data-testid="activity-item"][data-hash="${hash}"][data-status="confirmed"]`).waitFor({ timeout: CHAIN_WAIT });
    const seen = ((await page.evaluate('window.__walletSeen')) as string[]).filter((k) => k.startsWith(hash)).map((k) => k.split(':')[1]);
    expect(seen).toEqual(['pending', 'confirmed']);
    expect(await item.getByTestId('activity-amount').innerText()).toBe('−2 BU');

    // An ERC-20 send: 5 of the test token to the second account.
    await page.getByTestId('wallet-send').click();
    await page.getByTestId('send-to').fill(second);
    await page.getByTestId('send-token').selectOption(tokenAddress);
    await page.getByTestId('send-max').waitFor();
    await page.getByTestId('send-amount').fill('5');
    await page.getByTestId('send-amount').press('Enter');
    await page.getByTestId('send-quote').waitFor();
    expect(await page.getByTestId('send-quote-amount').innerText()).toBe(`5 ${symbol}`);
    await page.getByTestId('send-confirm').click();
    await page.getByTestId('send-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator(`[data-testid="activity-item"][data-status="confirmed"]`).filter({ hasText: `−5 ${symbol}` }).waitFor({ timeout: CHAIN_WAIT });

    await pickAccount(page, second);
    expect(await balance(page, /^2 BU$/)).toBe('2 BU');
    await page.getByTestId('activity-item').filter({ hasText: '+2 BU' }).waitFor({ timeout: CHAIN_WAIT });
    await expect.poll(async () => row.getByTestId('token-balance').innerText(), { timeout: CHAIN_WAIT }).toBe(`5 ${symbol}`);
    await pickAccount(page, first);

    // A watch-only address: balance and activity, no Send; it can be removed again.
    const watched = '0x000000000000000000000000000000000000dead';
    await page.getByTestId('account-picker').click();
    await page.getByTestId('account-add-watch').click();
    await page.getByTestId('add-watch-address').fill(watched);
    await page.getByTestId('add-watch-address').press('Enter');
    await page.getByTestId('add-watch').waitFor({ state: 'detached' });
    await expect.poll(async () => (await page.getByTestId('account-current').getAttribute('data-address'))?.toLowerCase()).toBe(watched);
    await balance(page, /BU$/);
    expect(await page.getByTestId('wallet-send').isDisabled()).toBe(true);
    await page.getByTestId('account-picker').click();
    await page.locator('[data-testid="account-option"]').filter({ hasText: 'Watch-only' }).getByTestId('account-remove').click();
    await page.getByTestId('remove-account-dialog').getByTestId('confirm-action').click();
    await page.getByTestId('remove-account-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('account-current').getAttribute('data-address')).toBe(first);

    // Anvil with the profile's recovery phrase: the same first account is prefunded there.
    // It mines only when asked (evm_mine), so a sent transaction stays pending until then.
    anvil = await startAnvil({ mnemonic: words.join(' '), chainId: 31337, args: ['--no-mining'] });
    await addNetwork(page, { name: 'Anvil', rpc: anvil.url, chainId: '31337', symbol: 'ETH' });
    await page.getByTestId('add-network').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.getByTestId('network-current').innerText()).toContain('Anvil');
    expect((await balance(page, amountRe('ETH'))).replace(/\D/g, '')).toBe('10000');

    // Speed up a pending send: the replacement is mined, the original shows "Replaced".
    await page.getByTestId('wallet-send').click();
    await page.getByTestId('send-to').fill(second);
    await page.getByTestId('send-amount').fill('1');
    await page.getByTestId('send-amount').press('Enter');
    await page.getByTestId('send-confirm').click();
    await page.getByTestId('send-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    const original = page.locator('[data-testid="activity-item"][data-status="pending"]').first();
    await original.waitFor({ timeout: 20_000 });
    const originalHash = (await original.getAttribute('data-hash'))!;
    await original.getByTestId('activity-speed-up').click();
    await page.getByTestId('replace-speed-up-dialog').getByTestId('confirm-action').click();
    await page.getByTestId('replace-speed-up-dialog').waitFor({ state: 'detached', timeout: 20_000 });
    const faster = page.getByTestId('activity-item').filter({ hasText: 'sped up' });
    await faster.waitFor({ timeout: 20_000 });
    await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }) });
    await page.locator('[data-testid="activity-item"][data-status="confirmed"]').filter({ hasText: 'sped up' }).waitFor({ timeout: CHAIN_WAIT });
    await page.locator(`[data-testid="activity-item"][data-hash="${originalHash}"][data-status="replaced"]`).waitFor({ timeout: CHAIN_WAIT });

    // A dead RPC URL is refused in words, within seconds.
    await addNetwork(page, { name: 'Dead', rpc: 'http://127.0.0.1:1', chainId: '1234', symbol: 'DED' });
    const error = page.getByTestId('add-network-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).not.toMatch(/[{}[\]]/);
    expect((await error.innerText()).length).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
    await page.getByTestId('add-network').waitFor({ state: 'detached' });

    // The selected network goes away: the card says so instead of spinning.
    await anvil.stop();
    anvil = null;
    const problem = page.getByTestId('wallet-network-problem');
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.getAttribute('data-state')).toBe('unreachable');
    expect(await problem.innerText()).toMatch(/^Unreachable\./);
    await page.getByTestId('network-picker').click();
    await page.locator('[data-testid="network-option"][data-name="Anvil"] [data-testid="network-state"][data-state="unreachable"]').waitFor({ timeout: 20_000 });

    // Edit its name, then switch back to the devnet: its balance again.
    await page.locator('[data-testid="network-option"][data-name="Anvil"]').getByTestId('network-edit').click();
    await page.getByTestId('edit-network-name').fill('Old anvil');
    await page.getByTestId('edit-network-name').press('Enter');
    await page.getByTestId('edit-network').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => page.getByTestId('network-current').innerText()).toContain('Old anvil');
    await page.getByTestId('network-picker').click();
    await page.locator('[data-testid="network-option"][data-network="devnet"]').getByTestId('network-switch').click();
    await expect.poll(() => page.getByTestId('network-current').innerText()).toMatch(/devnet/i);
    expect(await balance(page, amountRe('BU'))).toMatch(/BU$/);
    expect(await page.getByTestId('wallet-network-problem').count()).toBe(0);
  });
});
