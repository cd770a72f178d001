/**
 * @module e2e/pay-friend
 * Paying a friend from the chat, through the real React UI of two headless instances
 * (`bitunicom serve`) in Debian's Chromium. Each profile runs its own devnet (its own chain
 * id), so Bob first adds Alice's devnet as a custom network and selects it: then both check
 * the same chain. Alice sends Bob 1.5 BU (pending → confirmed on both sides), Bob requests
 * 2 BU, Alice pays it with one confirm, and both see the request paid and the payment
 * confirmed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFriend, createAccount, inviteLink, ownAddress } from './support/app';
import { bridgeCall } from './support/bridge';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

let browser: Browser;
const served: Served[] = [];
const dirs: string[] = [];
const CHAIN_WAIT = 60_000;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(served.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function instance(): Promise<{ s: Served; page: Page }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bu-e2e-pay-'));
  dirs.push(dataDir);
  const s = await serve(dataDir);
  served.push(s);
  const page = await (await browser.newContext()).newPage();
  await page.goto(s.url);
  return { s, page };
}

/** The payment bubble whose sentence reads `text` ("Alice sent you 1.5 BU"). */
function paymentBubble(page: Page, text: string): Locator {
  return page.getByTestId('payment-bubble').filter({ hasText: text });
}

async function waitStatus(bubble: Locator, status: string): Promise<void> {
  await bubble.and(bubble.page().locator(`[data-status="${status}"]`)).first().waitFor({ timeout: CHAIN_WAIT });
}

/** The money button once the friend's signed profile has given us their wallet address. */
async function openMoneyMenu(page: Page): Promise<void> {
  const button = page.getByTestId('pay-button');
  await expect.poll(async () => button.getAttribute('aria-disabled'), { timeout: 30_000 }).not.toBe('true');
  await button.click();
}

/**
 * Records, in order, every status each payment bubble shows from now on (`id:status`). Page
 * code is a string: the e2e project is typed without the DOM library.
 */
const RECORD_STATUSES = `(() => {
  const seen = (window.__paySeen = []);
  const scan = () =>
    document.querySelectorAll('[data-testid="payment-bubble"]').forEach((el) => {
      const key = el.dataset.id + ':' + el.dataset.status;
      if (!seen.includes(key)) seen.push(key);
    });
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})()`;

async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(RECORD_STATUSES);
}

async function seenStatuses(page: Page, id: string): Promise<string[]> {
  const all = (await page.evaluate('window.__paySeen || []')) as string[];
  return all.filter((k) => k.startsWith(`${id}:`)).map((k) => k.slice(id.length + 1));
}

describe('pay a friend from the chat', () => {
  it('send 1.5 BU, request 2 BU, pay the request with one confirm', async () => {
    const alice = await instance();
    const bob = await instance();
    await alice.page.getByTestId('onboarding-welcome').waitFor();
    await createAccount(alice.page, 'Alice');
    await createAccount(bob.page, 'Bob');
    const aliceAddr = await ownAddress(alice.page);
    const bobAddr = await ownAddress(bob.page);

    await addFriend(alice.page, await inviteLink(bob.page));
    await bob.page.getByTestId(`accept-${aliceAddr}`).click();
    await bob.page.getByTestId(`conversation-${aliceAddr}`).waitFor();
    await alice.page.getByTestId(`conversation-${bobAddr}`).waitFor();

    // One chain for both: Bob adds Alice's devnet (its RPC URL from Alice's networks) and selects it.
    const aliceNets = await bridgeCall(alice.page, alice.s.url, 'wallet.networks', {});
    const aliceDevnet = aliceNets.find((n) => n.selected) ?? aliceNets[0];
    expect(aliceDevnet, 'Alice has a devnet network').toBeTruthy();
    const added = await bridgeCall(bob.page, bob.s.url, 'wallet.addNetwork', { name: 'Alice devnet', rpcUrl: aliceDevnet!.rpcUrl, chainId: aliceDevnet!.chainId, symbol: aliceDevnet!.symbol });
    expect(added.chainId).toBe(aliceDevnet!.chainId);
    await bridgeCall(bob.page, bob.s.url, 'wallet.selectNetwork', { id: added.id });
    const symbol = aliceDevnet!.symbol;

    // Alice → Bob, 1.5 from the chat: review shows the quote, Send, the bubble goes pending → confirmed.
    await alice.page.getByTestId(`conversation-${bobAddr}`).click();
    await openMoneyMenu(alice.page);
    await alice.page.getByTestId('pay-menu-send').click();
    await alice.page.getByTestId('pay-send-dialog').waitFor();
    await expect.poll(async () => alice.page.getByTestId('pay-party-wallet').getAttribute('title')).toMatch(/^0x[0-9a-fA-F]{40}$/);
    // A typo is caught before pricing; more than the balance is priced but cannot be sent.
    await alice.page.getByTestId('pay-amount').fill('1,5');
    await alice.page.getByTestId('pay-review').click();
    expect(await alice.page.getByRole('alert').first().innerText()).toBe('Use a dot for decimals, like 1.5');
    await alice.page.getByTestId('pay-amount').fill('1000000000');
    await alice.page.getByTestId('pay-review').click();
    await alice.page.getByTestId('pay-insufficient').waitFor({ timeout: 30_000 });
    expect(await alice.page.getByTestId('pay-confirm').isDisabled()).toBe(true);
    await alice.page.getByTestId('pay-back').click();

    await alice.page.getByTestId('pay-amount').fill('1.5');
    await alice.page.getByTestId('pay-note').fill('for the tickets');
    await alice.page.getByTestId('pay-review').click();
    await alice.page.getByTestId('pay-quote').waitFor();
    expect(await alice.page.getByTestId('pay-quote-amount').innerText()).toContain(`1.5 ${symbol}`);
    expect(await alice.page.getByTestId('pay-quote-fee').innerText()).toMatch(/^at most /);
    await recordStatuses(alice.page);
    await alice.page.getByTestId('pay-confirm').click();
    await alice.page.getByTestId('pay-send-dialog').waitFor({ state: 'detached', timeout: CHAIN_WAIT });

    const aliceSent = paymentBubble(alice.page, `You sent 1.5 ${symbol}`);
    await aliceSent.waitFor();
    await waitStatus(aliceSent, 'confirmed');
    const seen = await seenStatuses(alice.page, (await aliceSent.getAttribute('data-id'))!);
    expect(seen.indexOf('pending'), `statuses shown: ${seen.join(' → ')}`).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('pending')).toBeLessThan(seen.indexOf('confirmed'));
    expect(await aliceSent.getByTestId('payment-tx').innerText()).toMatch(/0x[0-9a-f]{6}…[0-9a-f]{4}/i);

    await bob.page.getByTestId(`conversation-${aliceAddr}`).click();
    const bobGot = paymentBubble(bob.page, `Alice sent you 1.5 ${symbol}`);
    await bobGot.waitFor({ timeout: 30_000 });
    await waitStatus(bobGot, 'confirmed');
    expect(await bobGot.getByTestId('payment-note').innerText()).toBe('for the tickets');

    // Bob asks Alice for 2 on Alice's devnet.
    await openMoneyMenu(bob.page);
    await bob.page.getByTestId('pay-menu-request').click();
    await bob.page.getByTestId('pay-request-dialog').waitFor();
    await bob.page.getByTestId('pay-network').selectOption({ label: 'Alice devnet' });
    await bob.page.getByTestId('pay-amount').fill('2');
    await bob.page.getByTestId('pay-request-submit').click();
    await bob.page.getByTestId('pay-request-dialog').waitFor({ state: 'detached' });
    const bobAsked = paymentBubble(bob.page, `You requested 2 ${symbol}`);
    await waitStatus(bobAsked, 'requested');

    // Alice sees the request and pays it with one confirm.
    const aliceAsked = paymentBubble(alice.page, `Bob requests 2 ${symbol}`);
    await waitStatus(aliceAsked, 'requested');
    await aliceAsked.getByTestId('payment-pay').click();
    await alice.page.getByTestId('pay-request-confirm').waitFor();
    await alice.page.getByTestId('pay-quote').waitFor({ timeout: 30_000 });
    expect(await alice.page.getByTestId('pay-quote-amount').innerText()).toContain(`2 ${symbol}`);
    await alice.page.getByTestId('pay-confirm').click();
    await alice.page.getByTestId('pay-request-confirm').waitFor({ state: 'detached', timeout: CHAIN_WAIT });

    // Both sides: the payment confirmed, the request paid.
    await waitStatus(paymentBubble(alice.page, `You sent 2 ${symbol}`), 'confirmed');
    await waitStatus(aliceAsked, 'paid');
    await waitStatus(paymentBubble(bob.page, `Alice sent you 2 ${symbol}`), 'confirmed');
    await waitStatus(bobAsked, 'paid');
    expect(await aliceAsked.getByTestId('payment-pay').count()).toBe(0);
  });
});
