/**
 * Dapp P2P channels through the real React UI of two headless shells in Debian's Chromium
 * (issue 12 item 7): Alice and Bob are friends; each installs the Tic-Tac-Toe sample from the
 * store and opens it in its sandboxed frame. Alice invites through the game's button — the
 * confirm dialog lists Bob (he has the game), she ticks him; Bob's game shows the invitation
 * and he accepts through the same dialog. They play a game to Alice's win, move by move over
 * the channel; Bob asks for a rematch and the marks swap. Bob's page reloads mid-game and
 * resumes it from storage and the friend's state.
 *
 * Shared To-Do: Alice shares her list with Bob, he accepts, and additions, a check and a
 * delete made on either side show on both.
 *
 * And the chain-only sample beside it: Alice installs Token Poll, connects her account, creates
 * a poll and votes through the wallet's confirm dialogs; the tally is her genesis tBUT.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from './support/app';
import { bridgeCall } from './support/bridge';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

const TTT = '0x02ae2aff9fd85a174518166a1a419dd8f24d0650';
const POLL = '0x749f8af28151840e6a38bbd217a353eec432b778';
const TODO = '0xe64aec80c7d695b10475996712ec1cf69f49c527';
const WAIT = 60_000;

type Side = { name: string; dir: string; served: Served; page: Page; address: string };
let browser: Browser;
const sides: Side[] = [];
let alice: Side;
let bob: Side;

async function start(name: string): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), `bu-e2e-chan-${name.toLowerCase()}-`));
  const served = await serve(dir, {}, ['--rpc-port', '0', '--block-time', '1']);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(served.url);
  await page.getByTestId('onboarding-welcome').waitFor();
  await createAccount(page, name);
  const state = await bridgeCall(page, served.url, 'app.getState', {});
  const side = { name, dir, served, page, address: state.address! };
  sides.push(side);
  return side;
}

const game = (s: Side): FrameLocator => s.page.frameLocator('[data-testid="dapp-frame"]');

async function installAndOpen(s: Side, appId = TTT): Promise<void> {
  const p = s.page;
  await p.getByTestId('nav-dapps').click();
  await p.getByTestId('dapps-grid').waitFor({ timeout: WAIT });
  await p.getByTestId(`dapp-card-${appId}`).click({ timeout: WAIT });
  await p.getByTestId('dapp-detail').waitFor();
  await p.getByTestId('dapp-install').click();
  await p.getByTestId('dapp-open').waitFor({ timeout: WAIT });
  await p.getByTestId('dapp-open').click();
  await p.getByTestId('dapp-view').waitFor();
  if (appId === TTT) await expect.poll(() => game(s).getByTestId('ttt-status').innerText(), { timeout: WAIT }).toBe('Ready.');
}

async function approve(p: Page): Promise<void> {
  await p.getByTestId('pending-dialog').waitFor({ timeout: WAIT });
  await p.getByTestId('pending-approve').click();
  await p.getByTestId('pending-dialog').waitFor({ state: 'detached', timeout: WAIT });
}

/** Ticks `friend` in the channel dialog and approves. */
async function grant(s: Side, friend: Side): Promise<void> {
  const p = s.page;
  await p.getByTestId('pending-dialog').waitFor({ timeout: WAIT });
  expect(await p.getByTestId('pending-friends').innerText()).toContain(friend.name);
  await p.getByTestId(`choice-${friend.address}`).check();
  await p.getByTestId('pending-approve').click();
  await p.getByTestId('pending-dialog').waitFor({ state: 'detached', timeout: WAIT });
}

/** Polls outside a test (set-up steps). */
async function until(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + WAIT;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const cell = (s: Side, i: number) => game(s).getByTestId('ttt-board').locator('button').nth(i);

async function play(s: Side, i: number): Promise<void> {
  await expect.poll(() => cell(s, i).isEnabled(), { timeout: WAIT }).toBe(true);
  await cell(s, i).click();
}

beforeAll(async () => {
  browser = await launchBrowser();
  [alice, bob] = await Promise.all([start('Alice'), start('Bob')]);
  const { link } = await bridgeCall(bob.page, bob.served.url, 'contacts.invite', {});
  await bridgeCall(alice.page, alice.served.url, 'contacts.add', { invite: link });
  await until(async () => (await bridgeCall(bob.page, bob.served.url, 'contacts.requests', {})).some((c) => c.address === alice.address));
  await bridgeCall(bob.page, bob.served.url, 'contacts.accept', { address: alice.address });
  await until(async () => (await bridgeCall(alice.page, alice.served.url, 'contacts.list', {})).some((c) => c.address === bob.address && c.state === 'friend'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of sides) {
    await s.served.stop();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

describe('Tic-Tac-Toe over a dapp channel', () => {
  it('invites through the confirm dialog, plays a game move by move, rematches, and resumes after a reload', async () => {
    await installAndOpen(alice);
    await installAndOpen(bob);

    await game(alice).getByTestId('ttt-invite').click();
    await grant(alice, bob);
    await expect.poll(() => game(alice).getByTestId('ttt-status').innerText(), { timeout: WAIT }).toBe('Invited 1 friend.');

    await expect.poll(() => game(bob).getByTestId('ttt-friends').innerText(), { timeout: WAIT }).toMatch(/Alice[\s\S]*invites you/);
    await game(bob).getByTestId('ttt-friends').getByRole('button', { name: 'Accept' }).click();
    await grant(bob, alice);

    const playButton = game(alice).getByTestId('ttt-friends').getByRole('button', { name: 'Play' });
    await expect.poll(() => playButton.isEnabled(), { timeout: WAIT }).toBe(true);
    await playButton.click();
    const openButton = game(bob).getByTestId('ttt-friends').getByRole('button', { name: 'Open game' });
    await openButton.waitFor({ timeout: WAIT });
    await openButton.click();

    // X: 0, 1, 2 wins the top row; O: 4, 8
    await play(alice, 0);
    await play(bob, 4);
    await play(alice, 1);
    // Bob's page reloads mid-game: the game comes back from storage and Alice's state
    await bob.page.reload();
    await bob.page.getByTestId('main-layout').waitFor({ timeout: WAIT }).catch(() => undefined);
    if (await bob.page.getByTestId('unlock-password').isVisible().catch(() => false)) throw new Error('reload locked the profile');
    await installAndOpenAgain(bob);
    await game(bob).getByTestId('ttt-friends').getByRole('button', { name: 'Open game' }).click({ timeout: WAIT });
    await expect.poll(() => cell(bob, 0).innerText(), { timeout: WAIT }).toBe('X');
    await expect.poll(() => cell(bob, 1).innerText(), { timeout: WAIT }).toBe('X');
    await play(bob, 8);
    await play(alice, 2);
    await expect.poll(() => game(alice).getByTestId('ttt-turn').innerText(), { timeout: WAIT }).toBe('You won!');
    await expect.poll(() => game(bob).getByTestId('ttt-turn').innerText(), { timeout: WAIT }).toBe('Alice won.');

    await game(bob).getByTestId('ttt-rematch').click();
    await expect.poll(() => game(alice).getByText(/^You \(O\) vs Bob — round 2$/).count(), { timeout: WAIT }).toBe(1);
    await expect.poll(() => game(bob).getByTestId('ttt-turn').innerText(), { timeout: WAIT }).toBe('Your turn.');
  });
});

/** After a reload the UI starts on its home screen: open the installed game again. */
async function installAndOpenAgain(s: Side): Promise<void> {
  const p = s.page;
  await p.getByTestId('nav-dapps').click();
  await p.getByTestId(`dapp-card-${TTT}`).click({ timeout: WAIT });
  await p.getByTestId('dapp-open').click({ timeout: WAIT });
  await p.getByTestId('dapp-view').waitFor();
  await expect.poll(() => game(s).getByTestId('ttt-status').innerText(), { timeout: WAIT }).toBe('Ready.');
}

describe('Shared To-Do over a dapp channel', () => {
  it('shares a list and converges edits from both sides', async () => {
    for (const s of [alice, bob]) {
      await s.page.reload();
      await s.page.getByTestId('main-layout').waitFor({ timeout: WAIT });
      await installAndOpen(s, TODO);
      await expect.poll(() => game(s).getByTestId('todo-status').innerText(), { timeout: WAIT }).toBe('Ready.');
    }
    const add = async (s: Side, text: string) => {
      await game(s).getByTestId('todo-input').fill(text);
      await game(s).getByTestId('todo-input').press('Enter');
    };
    await add(alice, 'milk'); // before sharing: it reaches Bob with the first exchange
    await game(alice).getByTestId('todo-share').click();
    await grant(alice, bob);
    await expect.poll(() => game(bob).getByTestId('todo-friends').innerText(), { timeout: WAIT }).toMatch(/Alice[\s\S]*shares a list with you/);
    await game(bob).getByTestId('todo-friends').getByRole('button', { name: 'Accept' }).click();
    await grant(bob, alice);
    await expect.poll(() => game(bob).getByTestId('todo-items').innerText(), { timeout: WAIT }).toContain('milk');
    await add(bob, 'bread');
    await add(alice, 'eggs');
    await game(bob).getByRole('checkbox', { name: 'done: milk' }).check();
    await expect.poll(() => game(alice).getByTestId('todo-items').innerText(), { timeout: WAIT }).toContain('bread');
    await game(alice).getByRole('button', { name: 'delete eggs' }).click();
    const items = (s: Side) => game(s).getByTestId('todo-items').locator('li');
    for (const s of [alice, bob]) {
      await expect.poll(async () => (await items(s).allInnerTexts()).map((t) => t.replace(/\s*Delete$/, '').trim()), { timeout: WAIT }).toEqual(['milk', 'bread']);
      await expect.poll(() => game(s).getByRole('checkbox', { name: 'done: milk' }).isChecked(), { timeout: WAIT }).toBe(true);
    }
  });
});

describe('Token Poll on the devnet', () => {
  it('connects, creates a poll and votes through confirm dialogs; the tally is the genesis tBUT', async () => {
    const account = (await bridgeCall(alice.page, alice.served.url, 'wallet.accounts', {}))[0]!.address;
    await alice.page.reload(); // from the game's view back to the app's home
    await alice.page.getByTestId('main-layout').waitFor({ timeout: WAIT });
    await installAndOpen(alice, POLL);
    const poll = game(alice);
    await expect.poll(() => poll.getByTestId('poll-status').innerText(), { timeout: WAIT }).toBe('0 polls.');
    await poll.getByTestId('poll-connect').click();
    await alice.page.getByTestId('pending-dialog').waitFor({ timeout: WAIT });
    await alice.page.getByTestId(`choice-${account}`).check();
    await approve(alice.page);
    await expect.poll(() => poll.getByTestId('poll-account').innerText(), { timeout: WAIT }).toBe(`${account} · 1,000,000 tBUT`);

    await poll.getByTestId('poll-question').fill('Ship the release?');
    await poll.getByTestId('poll-options').fill('Yes\nNot yet');
    await poll.getByTestId('poll-create').click();
    await approve(alice.page);
    await expect.poll(() => poll.getByTestId('poll-status').innerText(), { timeout: WAIT }).toBe('New poll done.');
    await poll.getByTestId('poll-list').getByRole('button', { name: 'Vote' }).first().click();
    await approve(alice.page);
    await expect.poll(() => poll.getByTestId('poll-status').innerText(), { timeout: WAIT }).toBe('Vote done.');
    const list = await poll.getByTestId('poll-list').innerText();
    expect(list).toContain('Ship the release?');
    expect(list).toMatch(/1 voter, 1,000,000 tBUT/);
    expect(list).toMatch(/Yes — 1,000,000 tBUT/);
    expect(await poll.getByTestId('poll-list').getByRole('button', { name: 'Vote' }).first().isDisabled()).toBe(true);
  });
});
