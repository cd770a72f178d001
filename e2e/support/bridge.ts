/**
 * @module e2e/support/bridge
 * One bridge call made from inside a served page (same origin, the run's token), for the
 * set-up steps a scenario does not test through the UI (e.g. adding a friend's devnet as a
 * network). Opens its own loopback WebSocket to `/bridge`, sends one `RequestFrame`, and
 * resolves with the result or rejects with "CODE: message".
 */
import type { Page } from 'playwright-core';
import type { MethodInput, MethodName, MethodOutput } from '../../src-preload/contract';

export async function bridgeCall<M extends MethodName>(page: Page, servedUrl: string, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const out = await page.evaluate(
    ({ servedUrl, method, input }) =>
      new Promise<{ ok: true; result: unknown } | { ok: false; error: string }>((resolve) => {
        const u = new URL(servedUrl);
        const ws = new WebSocket(`ws://${u.host}/bridge?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`);
        const id = 1_000_000 + Math.floor(Math.random() * 1_000_000);
        const timer = setTimeout(() => {
          ws.close();
          resolve({ ok: false, error: `TIMEOUT: ${method} did not answer` });
        }, 60_000);
        ws.onopen = () => ws.send(JSON.stringify({ id, method, input }));
        ws.onerror = () => resolve({ ok: false, error: `NETWORK: the bridge socket failed for ${method}` });
        ws.onmessage = (e) => {
          const frame = JSON.parse(String(e.data)) as { id?: number; ok?: boolean; result?: unknown; error?: { code: string; message: string } };
          if (frame.id !== id) return;
          clearTimeout(timer);
          ws.close();
          resolve(frame.ok ? { ok: true, result: frame.result } : { ok: false, error: `${frame.error?.code}: ${frame.error?.message}` });
        };
      }),
    { servedUrl, method, input: input as unknown },
  );
  if (!out.ok) throw new Error(out.error);
  return out.result as MethodOutput<M>;
}
