/**
 * @module calls/media/worklet-source
 * Loads the playout AudioWorklet (playout.worklet.js). Vite emits the file as a same-origin
 * asset (`new URL(…, import.meta.url)`), so both shells' CSP (`script-src 'self'`) allow it
 * without admitting blob: or data: scripts. The worklet plays a mono ring the main thread
 * fills and reports played/underrun sample counts every render quantum (~2.7 ms); the reports drive the main
 * thread's pull loop.
 */

export const PLAYOUT_PROCESSOR = 'bitunicom-playout';

export async function loadPlayoutWorklet(ctx: AudioContext): Promise<void> {
  await ctx.audioWorklet.addModule(new URL('./playout.worklet.js', import.meta.url).href);
}
