/**
 * @module e2e/calls
 * Voice and video calls through the real React UI of two headless instances (`bitunicom
 * serve`) in Debian's Chromium, each browser with a fake microphone playing its own tone
 * (Alice 440 Hz, Bob 1,000 Hz; `--use-file-for-fake-audio-capture`) and a fake camera.
 * Bob's node drops 10 % of its outgoing media packets (`serve --call-loss 10`, the in-process
 * lossy link), Alice's link is clean.
 *
 * Checked: Alice rings Bob from the conversation header, Bob's incoming-call screen answers,
 * both show the running call; what each side *played out* (the engine's measurement tap) is
 * analysed with an FFT: Bob hears 440 Hz, Alice hears 1,000 Hz through the lossy link, and the
 * tone-to-rest ratio (SNR) of both is reported and must stay clearly positive. The stats panel
 * shows RTT, loss and MOS; mute reaches the friend; hang-up leaves a call record in both
 * conversations. Then a video call: both sides decode the other's camera.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFriend, createAccount, inviteLink, ownAddress } from './support/app';
import { checkTone, writeToneWav } from './support/audio';
import { callChromiumArgs, CHROMIUM } from './support/browser';
import { serve, type Served } from './support/serve';

const dirs: string[] = [];
const browsers: Browser[] = [];
const served: Served[] = [];
const TONES = { alice: 440, bob: 1000 };

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await Promise.all(served.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function instance(name: 'alice' | 'bob', serveArgs: string[] = []): Promise<{ s: Served; page: Page }> {
  const dir = mkdtempSync(join(tmpdir(), `bu-e2e-call-${name}-`));
  dirs.push(dir);
  const wav = join(dir, 'tone.wav');
  writeToneWav(wav, TONES[name]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: callChromiumArgs(wav),
  });
  browsers.push(browser);
  const s = await serve(join(dir, 'profile'), {}, serveArgs);
  served.push(s);
  const page = await (await browser.newContext({ permissions: ['microphone', 'camera'] })).newPage();
  await page.goto(s.url);
  return { s, page };
}

type Played = { samples: number[]; stats: { latencyMs: number | null; transitMs: number | null; marginMs: number; concealedMs: number; playedMs: number; bufferMs: number; targetBufferMs: number; videoWidth: number; videoFps: number } };

/** What the far side's voice sounded like here: the last `seconds` actually played out. */
async function played(page: Page, seconds: number): Promise<Played> {
  return (await page.evaluate(`(() => {
    const p = window.__bitunicomCallProbe;
    if (!p) return null;
    return { samples: p.recentAudio(${seconds}), stats: p.stats() };
  })()`)) as Played;
}

async function callState(page: Page): Promise<string | null> {
  const el = page.getByTestId('call-state').first();
  return (await el.count()) ? el.getAttribute('data-state') : null;
}

let alice: { s: Served; page: Page };
let bob: { s: Served; page: Page };
let aliceAddr: string;
let bobAddr: string;

beforeAll(async () => {
  alice = await instance('alice');
  bob = await instance('bob', ['--call-loss', '10']);
  await createAccount(alice.page, 'Alice');
  await createAccount(bob.page, 'Bob');
  aliceAddr = await ownAddress(alice.page);
  bobAddr = await ownAddress(bob.page);
  await addFriend(alice.page, await inviteLink(bob.page));
  await bob.page.getByTestId(`accept-${aliceAddr}`).click();
  await bob.page.getByTestId(`conversation-${aliceAddr}`).waitFor();
  await alice.page.getByTestId(`conversation-${bobAddr}`).waitFor();
});

describe('calls through the UI', () => {
  it('a voice call carries each tone to the other side, also through a 10 % lossy link', async () => {
    await alice.page.getByTestId(`conversation-${bobAddr}`).click();
    const start = alice.page.getByTestId('call-start-voice');
    await expect.poll(async () => start.isEnabled(), { timeout: 30_000 }).toBe(true);
    await start.click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 20_000 });
    expect(await bob.page.getByTestId('incoming-call').innerText()).toContain('Alice');
    await bob.page.getByTestId('call-accept').click();
    await expect.poll(() => callState(alice.page), { timeout: 20_000 }).toBe('active');
    await expect.poll(() => callState(bob.page), { timeout: 20_000 }).toBe('active');
    await alice.page.waitForTimeout(5000);

    const atBob = await played(bob.page, 3);
    const atAlice = await played(alice.page, 3);
    const heardByBob = checkTone(atBob.samples, TONES.alice);
    const heardByAlice = checkTone(atAlice.samples, TONES.bob);
    process.stdout.write(
      `[calls e2e] clean link  → Bob hears ${heardByBob.peakHz.toFixed(0)} Hz, SNR ${heardByBob.snrDb.toFixed(1)} dB, rms ${heardByBob.rms.toFixed(3)}, ` +
        `capture→playout ${Math.round(atBob.stats.latencyMs ?? NaN)} ms (capture→arrival ${Math.round(atBob.stats.transitMs ?? NaN)} ms, ring ${Math.round(atBob.stats.marginMs)} ms, buffer ${Math.round(atBob.stats.bufferMs)}/${Math.round(atBob.stats.targetBufferMs)} ms), concealed ${Math.round(atBob.stats.concealedMs)} of ${Math.round(atBob.stats.playedMs)} ms\n` +
        `[calls e2e] 10 % loss   → Alice hears ${heardByAlice.peakHz.toFixed(0)} Hz, SNR ${heardByAlice.snrDb.toFixed(1)} dB, rms ${heardByAlice.rms.toFixed(3)}, ` +
        `capture→playout ${Math.round(atAlice.stats.latencyMs ?? NaN)} ms (capture→arrival ${Math.round(atAlice.stats.transitMs ?? NaN)} ms, ring ${Math.round(atAlice.stats.marginMs)} ms, buffer ${Math.round(atAlice.stats.bufferMs)}/${Math.round(atAlice.stats.targetBufferMs)} ms), concealed ${Math.round(atAlice.stats.concealedMs)} of ${Math.round(atAlice.stats.playedMs)} ms\n`,
    );
    expect(Math.abs(heardByBob.peakHz - TONES.alice)).toBeLessThan(15);
    expect(Math.abs(heardByAlice.peakHz - TONES.bob)).toBeLessThan(15);
    expect(heardByBob.snrDb).toBeGreaterThan(10);
    expect(heardByAlice.snrDb).toBeGreaterThan(6);

    // the stats panel: numbers in words, no raw JSON
    await alice.page.getByTestId('call-stats').click();
    const panel = alice.page.getByTestId('call-stats-panel');
    await panel.waitFor();
    await expect.poll(async () => panel.innerText(), { timeout: 10_000 }).toMatch(/Round trip\s+\d/);
    const text = await panel.innerText();
    expect(text).toMatch(/MOS|quality/i);
    expect(text).not.toMatch(/[{}]/);

    // mute reaches Bob; hang up ends both sides and leaves a record in each conversation
    await alice.page.getByTestId('call-mute').click();
    await bob.page.getByTestId('call-remote-muted').waitFor({ timeout: 10_000 });
    await alice.page.getByTestId('call-hangup').click();
    await expect.poll(() => callState(bob.page), { timeout: 15_000 }).not.toBe('active');
    await bob.page.getByTestId(`conversation-${aliceAddr}`).click();
    await bob.page.locator('[data-kind="call"][data-outcome="answered"]').first().waitFor({ timeout: 10_000 });
    await alice.page.locator('[data-kind="call"][data-outcome="answered"]').first().waitFor({ timeout: 10_000 });
  });

  it('a video call decodes the other side\'s camera on both ends', async () => {
    await expect.poll(() => callState(alice.page), { timeout: 15_000 }).not.toBe('active');
    const start = alice.page.getByTestId('call-start-video');
    await expect.poll(async () => start.isEnabled(), { timeout: 20_000 }).toBe(true);
    await start.click();
    await bob.page.getByTestId('incoming-call').waitFor({ timeout: 20_000 });
    await bob.page.getByTestId('call-accept-video').click();
    await expect.poll(() => callState(bob.page), { timeout: 20_000 }).toBe('active');
    await expect.poll(async () => (await played(bob.page, 1)).stats.videoWidth, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await played(alice.page, 1)).stats.videoWidth, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await played(bob.page, 1)).stats.videoFps, { timeout: 20_000 }).toBeGreaterThan(0);
    const fps = (await played(bob.page, 1)).stats.videoFps;
    process.stdout.write(`[calls e2e] video: Bob decodes ${(await played(bob.page, 1)).stats.videoWidth} px wide at ${fps.toFixed(1)} fps\n`);
    await bob.page.getByTestId('call-hangup').click();
    await expect.poll(() => callState(alice.page), { timeout: 15_000 }).not.toBe('active');
  });
});
