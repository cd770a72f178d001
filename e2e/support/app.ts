/** Page-level steps a person takes in the UI, by the renderer's data-testid hooks. */
import type { Page } from 'playwright-core';

export const PASSWORD = 'e2e-password-123';

export async function createAccount(page: Page, name: string): Promise<string[]> {
  await page.getByTestId('onboarding-create').click();
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId('password-input').fill(PASSWORD);
  await page.getByTestId('password-confirm-input').fill(PASSWORD);
  await page.getByTestId('profile-continue').click();
  await page.getByTestId('mnemonic-grid').waitFor();
  const words: string[] = [];
  for (let i = 1; i <= 12; i++) words.push((await page.getByTestId(`mnemonic-word-${i}`).innerText()).replace(/^\d+\.?\s*/, '').trim());
  await page.getByTestId('mnemonic-written').check();
  await page.getByTestId('mnemonic-continue').click();
  const inputs = page.locator('[data-testid^="confirm-word-"]');
  await inputs.first().waitFor();
  for (const input of await inputs.all()) {
    const pos = Number(await input.getAttribute('data-position'));
    await input.fill(words[pos - 1]!);
  }
  await page.getByTestId('confirm-submit').click();
  await page.getByTestId('main-layout').waitFor();
  return words;
}

export async function unlock(page: Page): Promise<void> {
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
  await page.getByTestId('main-layout').waitFor();
}

export async function ownAddress(page: Page): Promise<string> {
  const el = page.getByTestId('profile-address');
  const full = (await el.getAttribute('title')) ?? (await el.getAttribute('data-address')) ?? '';
  if (/^0x[0-9a-fA-F]{40}$/.test(full)) return full;
  throw new Error(`profile-address does not expose the full address (title="${full}")`);
}

export async function inviteLink(page: Page): Promise<string> {
  await page.getByTestId('add-friend-button').click();
  await page.getByTestId('add-friend-dialog').waitFor();
  await page.getByTestId('tab-invite').click();
  await page.getByTestId('invite-qr').waitFor();
  const link = (await page.getByTestId('invite-link').innerText()).trim();
  await page.keyboard.press('Escape');
  return link;
}

export async function addFriend(page: Page, link: string): Promise<void> {
  await page.getByTestId('add-friend-button').click();
  await page.getByTestId('tab-add').click();
  await page.getByTestId('add-friend-input').fill(link);
  await page.getByTestId('add-friend-submit').click();
  await page.getByTestId('toast-success').first().waitFor();
  await page.getByTestId('add-friend-dialog').waitFor({ state: 'detached' }).catch(async () => page.keyboard.press('Escape'));
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

export function messageBubble(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text });
}

/**
 * Polls the text of the element with `data-testid=testId` until `accept(text)`; returns the text
 * and how long it took. The error names what the page showed last ("(no <label>)" if absent).
 */
export async function waitForTestIdText(page: Page, testId: string, accept: (text: string) => boolean, o: { timeoutMs: number; label: string; want: string; stepMs?: number }): Promise<{ text: string; ms: number }> {
  const t0 = Date.now();
  const read = async () => (await page.getByTestId(testId).textContent({ timeout: 1000 }).catch(() => null))?.trim() ?? `(no ${o.label})`;
  for (;;) {
    const text = await read();
    if (accept(text)) return { text, ms: Date.now() - t0 };
    if (Date.now() - t0 > o.timeoutMs) throw new Error(`the ${o.label} says "${text}", not ${o.want} after ${o.timeoutMs} ms`);
    await page.waitForTimeout(o.stepMs ?? 100);
  }
}
