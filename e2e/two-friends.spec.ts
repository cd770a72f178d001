/**
 * Two headless BitUnicom instances (`bitunicom serve`), each driven through the real React UI
 * in Debian's Chromium: create accounts, exchange invites, accept, chat both ways, restart one
 * instance, unlock, history intact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFriend, createAccount, inviteLink, messageBubble, ownAddress, sendMessage, unlock } from './support/app';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

let browser: Browser;
const served: Served[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(served.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function instance(dir?: string): Promise<{ s: Served; page: Page }> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'bu-e2e-'));
  if (!dir) dirs.push(dataDir);
  const s = await serve(dataDir);
  served.push(s);
  const page = await (await browser.newContext()).newPage();
  await page.goto(s.url);
  return { s, page };
}

describe('two friends through the UI', () => {
  it('create, invite, accept, chat both ways, restart, history intact', async () => {
    const alice = await instance();
    const bob = await instance();

    await alice.page.getByTestId('onboarding-welcome').waitFor();
    const words = await createAccount(alice.page, 'Alice');
    expect(words).toHaveLength(12);
    await createAccount(bob.page, 'Bob');
    const aliceAddr = await ownAddress(alice.page);
    const bobAddr = await ownAddress(bob.page);
    expect(aliceAddr).not.toBe(bobAddr);

    // Bob shows his invite (text + QR); Alice pastes it.
    const link = await inviteLink(bob.page);
    expect(link).toMatch(/^bitunicom:\/\/invite\//);
    await addFriend(alice.page, link);
    await alice.page.getByTestId(`outgoing-${bobAddr}`).waitFor();

    // Bob sees the request and accepts it.
    await bob.page.getByTestId(`accept-${aliceAddr}`).click();
    await bob.page.getByTestId(`conversation-${aliceAddr}`).waitFor();
    await alice.page.getByTestId(`conversation-${bobAddr}`).waitFor();

    // Alice → Bob
    await alice.page.getByTestId(`conversation-${bobAddr}`).click();
    await sendMessage(alice.page, 'Hello Bob, it is Alice');
    await messageBubble(alice.page, 'Hello Bob, it is Alice').and(alice.page.locator('[data-state="delivered"]')).waitFor();

    // Bob sees it (unread badge), opens the conversation and replies.
    await bob.page.getByTestId(`conversation-${aliceAddr}`).click();
    await messageBubble(bob.page, 'Hello Bob, it is Alice').waitFor();
    await sendMessage(bob.page, 'Hi Alice! Bob here');
    await messageBubble(bob.page, 'Hi Alice! Bob here').and(bob.page.locator('[data-state="delivered"]')).waitFor();
    await messageBubble(alice.page, 'Hi Alice! Bob here').waitFor();

    // Restart Bob's node: the UI asks for the password, then shows the same history.
    await bob.s.stop();
    const bob2 = await instance(bob.s.dataDir);
    await bob2.page.getByTestId('unlock-screen').waitFor();
    await unlock(bob2.page);
    await bob2.page.getByTestId(`conversation-${aliceAddr}`).click();
    await messageBubble(bob2.page, 'Hello Bob, it is Alice').waitFor();
    await messageBubble(bob2.page, 'Hi Alice! Bob here').waitFor();
    const texts = await bob2.page.getByTestId('message').allInnerTexts();
    expect(texts.filter((t) => t.includes('Hello Bob, it is Alice'))).toHaveLength(1);

    // And the conversation continues after the restart.
    await sendMessage(alice.page, 'Welcome back');
    await messageBubble(bob2.page, 'Welcome back').waitFor({ timeout: 30_000 });
    await messageBubble(alice.page, 'Welcome back').and(alice.page.locator('[data-state="delivered"]')).waitFor({ timeout: 30_000 });
  });
});
