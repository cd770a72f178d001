/**
 * The DApp store end to end (issue 12 item 8) through the real React UI of the headless shell
 * in Debian's Chromium, on the embedded devnet:
 *
 * 1. Hello (a genesis sample, its signed bundle shipped and seeded by the node) is found in the
 *    store, its detail shows the permissions and size, it installs with progress and opens in
 *    its sandboxed frame on its own origin; connecting asks the user (account choice), the
 *    greeting is signed (EIP-191) and the typed greeting (EIP-712) — both checked with ethers
 *    against the connected address — and one test token is burned through a confirm dialog
 *    that shows the decoded ERC-20 transfer; the chain (read with ethers, not our client) shows
 *    the burn; a rejected signature reaches the dapp as EIP-1193 error 4001; the connection is
 *    listed in Settings and revoked there (the dapp sees no accounts any more).
 * 2. A deliberately hostile dapp (e2e/fixtures/dapps/hostile) is packed, signed, published
 *    on chain with `bitunicom dapp publish` and installed from the store; every probe it runs
 *    to reach the bridge, Node, other dapps' storage and accounts, the file system, popups,
 *    top navigation and other origins is blocked; navigating its frame to the UI or to another
 *    dapp's origin loads nothing; uninstalling it removes its files and its origin's storage.
 * 3. The sample author publishes Hello 0.2.0 asking for one more permission: the store shows the
 *    update, and updating first asks to allow exactly that permission; then 0.2.0 runs.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract, JsonRpcProvider, Wallet, verifyMessage, verifyTypedData } from 'ethers';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from './support/app';
import { bridgeCall } from './support/bridge';
import { launchBrowser } from './support/browser';
import { serve, type Served } from './support/serve';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'out/main/cli.js');
const HELLO = '0x0faed322521b51d70016067b15e618d3fb61f219';
const HOSTILE = '0x3f24279e82aac9db39440826a905da49b3e78c2c';
/** keccak256("bitunicom e2e hostile dapp author"): the fixture's author key (test only). */
const HOSTILE_KEY = '0xaf11a2c214f10144150ff73b3c6edb5ecd75729618d64f07c40000c84f5c09ec';
/** keccak256("bitunicom devnet sample dapp author"): the genesis samples' author key (public, devnet only). */
const SAMPLE_KEY = '0x' + Buffer.from(keccak_256(new TextEncoder().encode('bitunicom devnet sample dapp author'))).toString('hex');
const TEST_TOKEN = '0xf0CE550274686eeaD4b5c3894329d8e2Fe9c7C1B';
const BURN = '0x000000000000000000000000000000000000dEaD';
const WAIT = 60_000;

let browser: Browser;
let served: Served | null = null;
let page: Page;
let rpc: JsonRpcProvider;
let me: string;
const dir = mkdtempSync(join(tmpdir(), 'bu-e2e-dapps-'));
const work = mkdtempSync(join(tmpdir(), 'bu-e2e-dapps-work-'));

beforeAll(async () => {
  browser = await launchBrowser();
  served = await serve(dir, {}, ['--rpc-port', '0', '--block-time', '1']);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(served.url);
  await page.getByTestId('onboarding-welcome').waitFor();
  await createAccount(page, 'Dana');
  const status = await bridgeCall(page, served.url, 'node.status', {});
  rpc = new JsonRpcProvider(status.rpcUrl!, undefined, { staticNetwork: true, cacheTimeout: -1 });
  me = (await bridgeCall(page, served.url, 'wallet.accounts', {}))[0]!.address;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  rpc?.destroy();
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args, '--data', dir], { encoding: 'utf8', env: { ...process.env, BITUNICOM_PASSWORD: 'e2e-password-123' }, timeout: 120_000 });

/** Give `author` (a key imported into this wallet) coin for gas and tokens for the publish fee. */
async function fund(author: string): Promise<void> {
  await bridgeCall(page, served!.url, 'wallet.send', { from: me, to: author, amount: '5', confirm: true });
  await bridgeCall(page, served!.url, 'wallet.send', { from: me, to: author, amount: '100', token: TEST_TOKEN, confirm: true });
  const erc20 = new Contract(TEST_TOKEN, ['function balanceOf(address) view returns (uint256)'], rpc);
  await expect.poll(() => rpc.getBalance(author), { timeout: WAIT }).toBeGreaterThan(0n);
  await expect.poll(async () => (await erc20.getFunction('balanceOf')(author)) as bigint, { timeout: WAIT }).toBeGreaterThan(0n);
}

const frameOf = (p: Page): FrameLocator => p.frameLocator('[data-testid="dapp-frame"]');

/** Run an expression inside the frame of dapp `appId` (page code as a string: no DOM types here). */
async function inDapp(p: Page, appId: string, expression: string): Promise<unknown> {
  const frame = p.frames().find((f) => f.url().startsWith(`http://${appId.slice(2)}.localhost:`));
  if (!frame) throw new Error(`no frame of ${appId} (frames: ${p.frames().map((f) => f.url()).join(', ')})`);
  return frame.evaluate(expression);
}

/** The pending dialog's rows as "label: value" lines. */
async function pendingRows(p: Page): Promise<string[]> {
  await p.getByTestId('pending-dialog').waitFor({ timeout: WAIT });
  return (await p.getByTestId('pending-row').allInnerTexts()).map((t) => t.replace(/\s*\n\s*/g, ': ').trim());
}

async function approve(p: Page): Promise<void> {
  await p.getByTestId('pending-approve').click();
  await p.getByTestId('pending-dialog').waitFor({ state: 'detached', timeout: WAIT });
}

async function openStore(p: Page): Promise<void> {
  await p.getByTestId('nav-dapps').click();
  // The DApps screen keeps its place (a detail page stays open): go back to the catalog.
  if (await p.getByTestId('dapp-close').isVisible()) await p.getByTestId('dapp-close').click();
  if (await p.getByTestId('dapp-back').isVisible()) await p.getByTestId('dapp-back').click();
  await p.getByTestId('dapps-grid').waitFor({ timeout: WAIT });
}

describe('the DApp store', () => {
  it('installs Hello from the store, runs it sandboxed, and signs and transacts only through confirm dialogs', async () => {
    await openStore(page);
    for (const name of ['Hello', 'Tic-Tac-Toe', 'Shared To-Do', 'Token Poll']) await expect.poll(() => page.getByTestId('dapps-grid').innerText()).toContain(name);
    const idOf = (slug: string) => (JSON.parse(readFileSync(join(ROOT, 'resources/dapps', slug, 'manifest.json'), 'utf8')) as { appId: string }).appId;
    const shown = () => page.locator('[data-testid^="dapp-card-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-app-id') ?? ''));
    // Search (typed, debounced) and categories narrow the catalog read from the registry.
    await page.getByTestId('dapps-search').fill('poll');
    await expect.poll(shown, { timeout: WAIT }).toEqual([idOf('poll')]);
    await page.getByTestId('dapps-search').fill('');
    await expect.poll(async () => (await shown()).length, { timeout: WAIT }).toBe(4);
    await page.getByTestId('dapps-category-games').click();
    await expect.poll(shown, { timeout: WAIT }).toEqual([idOf('tic-tac-toe')]);
    await page.getByTestId('dapps-category-all').click();
    await expect.poll(async () => (await shown()).length, { timeout: WAIT }).toBe(4);
    await page.getByTestId(`dapp-card-${HELLO}`).click();
    await page.getByTestId('dapp-detail').waitFor();
    await expect.poll(() => page.getByTestId('dapp-permissions').innerText(), { timeout: WAIT }).toMatch(/account/i);
    expect(await page.getByTestId('dapp-permissions').innerText()).toMatch(/sign/i);
    await expect.poll(() => page.getByTestId('dapp-size').innerText(), { timeout: WAIT }).toMatch(/\d.*(B|KB|kB)/);
    await page.getByTestId('dapp-install').click();
    await page.getByTestId('dapp-open').waitFor({ timeout: WAIT });
    await page.getByTestId('dapp-open').click();
    await page.getByTestId('dapp-view').waitFor();
    const origin = await page.getByTestId('dapp-origin').innerText();
    expect(origin).toMatch(new RegExp(`^http://${HELLO.slice(2)}\\.localhost:\\d+$`));
    expect(await page.getByTestId('dapp-frame').getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms');
    const hello = frameOf(page);

    // Connect: the user picks the account; the dapp sees exactly that one.
    await hello.getByTestId('hello-connect').click();
    await page.getByTestId('pending-dialog').waitFor({ timeout: WAIT });
    await page.getByTestId(`choice-${me}`).check();
    await approve(page);
    await expect.poll(() => hello.getByTestId('hello-account').innerText(), { timeout: WAIT }).toBe(`Connected: ${me}`);
    await expect.poll(() => page.getByTestId('dapp-account-chip').innerText()).toMatch(new RegExp(me.slice(2, 6), 'i'));

    // A running dapp keeps running while you look at another screen (its state is still there).
    await page.getByTestId('nav-chats').click();
    await page.getByTestId('dapp-view').waitFor({ state: 'hidden' });
    await page.getByTestId('nav-dapps').click();
    expect(await hello.getByTestId('hello-account').innerText()).toBe(`Connected: ${me}`);

    // personal_sign: the dialog shows the text; the signature recovers to the account.
    await hello.getByTestId('hello-sign').click();
    expect((await pendingRows(page)).join('\n')).toContain('Hello from the Hello dapp!');
    await approve(page);
    await expect.poll(() => hello.getByTestId('hello-signature').innerText(), { timeout: WAIT }).toMatch(/^0x[0-9a-f]{130}$/);
    expect(verifyMessage('Hello from the Hello dapp!', await hello.getByTestId('hello-signature').innerText())).toBe(me);

    // EIP-712: rows name the domain and the fields; the signature verifies with ethers.
    await hello.getByTestId('hello-sign-typed').click();
    const typedRows = (await pendingRows(page)).join('\n');
    expect(typedRows).toContain('Hello, typed world!');
    await approve(page);
    await expect.poll(() => hello.getByTestId('hello-typed-signature').innerText(), { timeout: WAIT }).toMatch(/^0x[0-9a-f]{130}$/);
    const chainId = Number((await rpc.getNetwork()).chainId);
    const recovered = verifyTypedData(
      { name: 'Hello', version: '1', chainId },
      { Greeting: [{ name: 'from', type: 'address' }, { name: 'text', type: 'string' }] },
      { from: me, text: 'Hello, typed world!' },
      await hello.getByTestId('hello-typed-signature').innerText(),
    );
    expect(recovered).toBe(me);

    // A rejected request reaches the dapp as EIP-1193 4001 and signs nothing.
    await hello.getByTestId('hello-sign').click();
    await page.getByTestId('pending-dialog').waitFor({ timeout: WAIT });
    await page.getByTestId('pending-reject').click();
    await expect.poll(() => hello.getByTestId('hello-signature').innerText(), { timeout: WAIT }).toMatch(/^Refused: .*\(4001\)$/);

    // A transaction: the dialog decodes the ERC-20 transfer; the chain shows the burn.
    const token = new Contract(TEST_TOKEN, ['function balanceOf(address) view returns (uint256)'], rpc);
    const before = (await token.getFunction('balanceOf')(BURN)) as bigint;
    await hello.getByTestId('hello-tip').click();
    await page.getByTestId('pending-call').waitFor({ timeout: WAIT });
    const call = (await pendingRows(page)).join('\n');
    expect(call).toMatch(/transfer/i);
    expect(call.toLowerCase()).toContain(BURN.toLowerCase().slice(2, 10));
    expect(call).toMatch(/\b1(\.0+)? tBUT\b|\b1 BitUnicom/);
    await approve(page);
    await expect.poll(() => hello.getByTestId('hello-tx-status').innerText(), { timeout: WAIT }).toBe('confirmed');
    expect(((await token.getFunction('balanceOf')(BURN)) as bigint) - before).toBe(10n ** 18n);

    // Settings lists the connection; revoking it empties the dapp's accounts.
    await page.getByTestId('dapp-close').click();
    await page.getByTestId('settings-button').click();
    await page.getByTestId('connected-dapps').waitFor({ timeout: WAIT });
    const row = (await page.getByTestId(`connected-${HELLO}`).innerText()).toLowerCase();
    expect(row).toContain('hello');
    expect(row).toContain(`${me.slice(0, 6)}…${me.slice(-4)}`.toLowerCase());
    await page.getByTestId(`revoke-accounts-${HELLO}`).click();
    await expect.poll(async () => (await bridgeCall(page, served!.url, 'dapps.connections', {})).find((c) => c.appId === HELLO)?.accounts ?? []).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('connected-dapps').waitFor({ state: 'detached' });
  }, 240_000);

  it('blocks every escape a hostile dapp tries, and uninstalling it removes its files and storage', async () => {
    const bud = join(work, 'hostile.bud');
    const keyFile = join(work, 'hostile.key');
    writeFileSync(keyFile, HOSTILE_KEY);
    cli('dapp', 'pack', join(ROOT, 'e2e/fixtures/dapps/hostile'), '-o', bud);
    cli('dapp', 'sign', bud, '--key-file', keyFile);
    const author = new Wallet(HOSTILE_KEY).address;
    await bridgeCall(page, served!.url, 'wallet.importPrivateKey', { privateKey: HOSTILE_KEY, name: 'Hostile author' });
    await fund(author);
    cli('dapp', 'publish', bud, '--account', author, '--yes', '--fee-approve');

    // Another dapp keeps a secret in its node-kept storage (the test stands in for its frame's host).
    const todo = (JSON.parse(readFileSync(join(ROOT, 'resources/dapps/shared-todo/manifest.json'), 'utf8')) as { appId: string }).appId;
    await bridgeCall(page, served!.url, 'dapps.install', { appId: todo });
    await bridgeCall(page, served!.url, 'dapps.providerRequest', { appId: todo, method: 'bitunicom_storageSet', params: ['shared-secret', 'to-do data'] });

    // Every "other origin" probe aims at this loopback listener: nothing may ever reach it.
    const hits: string[] = [];
    const sink = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.end('reached');
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    const sinkPort = (sink.address() as AddressInfo).port;
    const navs: string[] = [];
    page.on('framenavigated', (f) => navs.push(f.url()));
    await openStore(page);
    await page.getByTestId(`dapp-card-${HOSTILE}`).click({ timeout: WAIT });
    await page.getByTestId('dapp-install').click();
    await page.getByTestId('dapp-open').waitFor({ timeout: WAIT });
    await bridgeCall(page, served!.url, 'dapps.providerRequest', { appId: HOSTILE, method: 'bitunicom_storageSet', params: ['sink-port', String(sinkPort)] });
    await page.getByTestId('dapp-open').click();
    const evil = frameOf(page);
    await evil.locator('body[data-done="1"]').waitFor({ state: 'attached', timeout: WAIT }).catch(async (e: unknown) => {
      const frame = await evil.locator('body').innerText({ timeout: 2000 }).catch(() => '(no body)');
      const view = await page.getByTestId('dapps-screen').innerText({ timeout: 2000 }).catch(() => '(no screen)');
      throw new Error(`the probes did not finish (navigations ${navs.join(' | ')}): frame says "${frame.slice(0, 400)}"; the screen says "${view.slice(0, 400)}"`, { cause: e });
    });
    const rows = await evil.locator('[data-testid^="probe-"][data-result]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-result')} ${e.textContent}`));
    const names = rows.map((r) => r.split('=')[0]);
    for (const want of ['parent-dom', 'parent-bridge', 'node-globals', 'bridge-fetch', 'bridge-websocket', 'bridge-postmessage', 'unsupported-method', 'other-dapp-accounts', 'other-dapp-storage', 'other-dapp-fetch', 'other-dapp-frame', 'shared-cookie', 'file-fetch', 'file-image', 'file-picker', 'popup', 'top-navigation', 'other-origin-fetch', 'other-origin-image', 'other-origin-beacon', 'other-origin-script', 'inline-script', 'eval']) {
      expect(names).toContain(`probe-${want}`);
    }
    expect(rows.filter((r) => !/=blocked /.test(r))).toEqual([]);
    expect(hits).toEqual([]);
    const uiUrl = page.url();
    expect(uiUrl.startsWith(new URL(served!.url).origin)).toBe(true);
    expect(page.context().pages()).toHaveLength(1); // no popup

    // Its own storage works (and must be gone after uninstall).
    await inDapp(page, HOSTILE, "window.bitunicom.storage.set('hostile', 'was here')");
    expect(await inDapp(page, HOSTILE, "window.bitunicom.storage.get('hostile')")).toBe('was here');

    // Posting a form to another origin (form-action 'none', frame-src): the frame loses its page, the sink gets nothing.
    await evil.getByTestId('probe-post-form').click();
    await page.waitForTimeout(1500);
    expect(hits).toEqual([]);
    expect(page.url()).toBe(uiUrl);
    await page.getByTestId('dapp-close').click();
    await page.getByTestId('dapp-open').click();
    await evil.locator('body[data-done="1"]').waitFor({ state: 'attached', timeout: WAIT });

    // Walking its frame to another dapp's origin: the dapp server wants a launch token → 403, no Hello code runs.
    await evil.getByTestId('probe-navigate-dapp').click();
    await expect.poll(() => frameOf(page).locator('body').innerText(), { timeout: WAIT }).toMatch(/Forbidden/);
    expect(await frameOf(page).getByTestId('hello-connect').count()).toBe(0);

    // Walking it to the UI: the UI's CSP frame-src refuses; the UI never loads inside the frame.
    await page.getByTestId('dapp-close').click();
    await page.getByTestId('dapp-open').click();
    await frameOf(page).getByTestId('probe-navigate-ui').click();
    await page.waitForTimeout(1500);
    const uiOrigin = new URL(served!.url).origin;
    expect(page.frames().filter((f) => f !== page.mainFrame() && f.url().startsWith(uiOrigin))).toEqual([]);
    expect(page.url()).toBe(uiUrl);

    // Uninstall: files and its origin's storage are gone (a reinstall starts empty).
    await page.getByTestId('dapp-close').click();
    await page.getByTestId('dapp-uninstall').click();
    await page.getByTestId('dapp-uninstall-dialog').getByTestId('confirm-action').click();
    await page.getByTestId('dapp-install').waitFor({ timeout: WAIT });
    await expect.poll(() => existsSync(join(dir, 'dapps', 'apps', HOSTILE))).toBe(false);
    expect((await bridgeCall(page, served!.url, 'dapps.installed', {})).map((d) => d.appId)).not.toContain(HOSTILE);
    await page.getByTestId('dapp-install').click();
    await page.getByTestId('dapp-open').waitFor({ timeout: WAIT });
    await page.getByTestId('dapp-open').click();
    await expect.poll(() => frameOf(page).locator('body').getAttribute('data-done'), { timeout: WAIT }).toBe('1');
    expect(await inDapp(page, HOSTILE, "window.bitunicom.storage.get('hostile')")).toBeNull();
    expect(hits).toEqual([]);
    await new Promise<void>((r) => sink.close(() => r()));
  }, 300_000);

  it('offers the update its author publishes, and asks before allowing the permission it adds', async () => {
    // The sample author (a public devnet-only key) publishes Hello 0.2.0, which also asks for storage.
    const src = join(work, 'hello-0.2.0');
    cpSync(join(ROOT, 'resources/dapps/hello'), src, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8')) as { version: string; permissions: string[] };
    writeFileSync(join(src, 'manifest.json'), `${JSON.stringify({ ...manifest, version: '0.2.0', permissions: [...manifest.permissions, 'storage'] }, null, 2)}\n`);
    const bud = join(work, 'hello-0.2.0.bud');
    const keyFile = join(work, 'sample.key');
    writeFileSync(keyFile, SAMPLE_KEY);
    cli('dapp', 'pack', src, '-o', bud);
    cli('dapp', 'sign', bud, '--key-file', keyFile);
    const author = new Wallet(SAMPLE_KEY).address;
    await bridgeCall(page, served!.url, 'wallet.importPrivateKey', { privateKey: SAMPLE_KEY, name: 'Sample author' });
    await fund(author);
    cli('dapp', 'publish', bud, '--account', author, '--yes', '--fee-approve');

    await openStore(page);
    const card = page.getByTestId(`dapp-card-${HELLO}`);
    await expect.poll(() => card.getByTestId('badge-update').count(), { timeout: WAIT }).toBe(1);
    await card.click();
    await page.getByTestId('dapp-update').click();
    const prompt = page.getByTestId('update-permissions-dialog');
    await prompt.waitFor({ timeout: WAIT });
    expect(await prompt.getByTestId('update-added').locator('[data-permission]').evaluateAll((els) => els.map((e) => e.getAttribute('data-permission')))).toEqual(['storage']);
    await page.getByTestId('update-permissions-dialog-submit').click();
    await expect.poll(async () => (await bridgeCall(page, served!.url, 'dapps.installed', {})).find((d) => d.appId === HELLO)?.version, { timeout: WAIT }).toBe('0.2.0');
    const installed = (await bridgeCall(page, served!.url, 'dapps.installed', {})).find((d) => d.appId === HELLO)!;
    expect(installed.permissions).toContain('storage');
    expect(installed.updateAvailable).toBeNull();
    await page.getByTestId('dapp-open').click();
    await expect.poll(() => frameOf(page).getByTestId('hello-connect').count(), { timeout: WAIT }).toBe(1);
  }, 240_000);
});

