/**
 * @module e2e/nat-lab/browser
 * The app's UI of a lab node in Chromium, inside the node's network namespace. `serve` listens
 * for the UI on 127.0.0.1 of its own namespace, so the browser must run there too: Playwright
 * launches an executable wrapper, `exec ip netns exec <host> chromium "$@"`, and keeps talking
 * to it over the inherited pipes (`--remote-debugging-pipe`, fds 3 and 4), which the namespace
 * switch does not touch. Each browser's fake microphone plays its own tone (a WAV looped by
 * `--use-file-for-fake-audio-capture`), exactly as in e2e/calls.spec.ts.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeToneWav } from '../support/audio';
import { callChromiumArgs, CHROMIUM } from '../support/browser';
import { tempDir, type BuNode } from './bu-cli';

export type NodeBrowser = { node: BuNode; browser: Browser; page: Page; toneHz: number; close(): Promise<void> };

/** Every browser opened here, for the spec's cleanup. */
export const openBrowsers: NodeBrowser[] = [];

/** Writes the wrapper that runs Chromium inside `host`'s namespace. */
export function namespacedChromium(host: string): string {
  const file = join(tempDir(`chromium-${host}`), 'chromium');
  writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${host} ${CHROMIUM} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Opens `node`'s UI (its serve's `ui` link) in Chromium inside its namespace, with a microphone playing `toneHz`. */
export async function openUi(node: BuNode, toneHz: number): Promise<NodeBrowser> {
  if (!node.ui) throw new Error(`${node.label}: serve printed no UI link`);
  const dir = tempDir(`ui-${node.label}`);
  const wav = join(dir, 'tone.wav');
  writeToneWav(wav, toneHz);
  const browser = await chromium.launch({
    executablePath: namespacedChromium(node.host),
    headless: true,
    args: callChromiumArgs(wav),
  });
  const nb: NodeBrowser = {
    node,
    browser,
    page: await (await browser.newContext({ permissions: ['microphone', 'camera'] })).newPage(),
    toneHz,
    close: () => browser.close().catch(() => undefined),
  };
  openBrowsers.push(nb);
  await nb.page.goto(node.ui);
  await nb.page.getByTestId('main-layout').waitFor({ timeout: 60_000 });
  return nb;
}

export type PlayoutStats = {
  latencyMs: number | null;
  transitMs: number | null;
  marginMs: number;
  concealedMs: number;
  playedMs: number;
  bufferMs: number;
  targetBufferMs: number;
};
export type Played = { callId: string; samples: number[]; stats: PlayoutStats };

/** The last `seconds` the engine played out of the far side's voice, and its playout stats (`window.__bitunicomCallProbe`). */
export async function played(page: Page, seconds: number): Promise<Played | null> {
  return (await page.evaluate(`(() => {
    const p = window.__bitunicomCallProbe;
    if (!p) return null;
    return { callId: p.callId, samples: p.recentAudio(${seconds}), stats: p.stats() };
  })()`)) as Played | null;
}

/** The call screen's state (`data-state` of `call-state`), null without a call screen. */
export async function uiCallState(page: Page): Promise<string | null> {
  const el = page.getByTestId('call-state').first();
  return (await el.count()) ? el.getAttribute('data-state') : null;
}

/** The conversation list entry of `address` (the UI may spell it with another case than the CLI). */
export function conversationOf(page: Page, address: string) {
  return page.locator(`[data-testid="conversation-${address}" i]`);
}
