/**
 * The call playout AudioWorklet (loaded by worklet-source.ts as a same-origin asset, so the
 * shells' Content-Security-Policy `script-src 'self'` allows it: no blob: or data: scripts).
 * It plays a mono ring filled over a MessagePort it is handed ({ port }: the playout worker's
 * channel; until then its own port) with Float32Array messages, and reports, every render
 * quantum (128 samples, ~2.7 ms), how many samples it has played and how many it had to fill
 * with silence because the ring ran dry. The reports drive the worker's pull loop, so the ring
 * can be kept only a few milliseconds ahead.
 */
/* global AudioWorkletProcessor, registerProcessor, MessagePort */
class Playout extends AudioWorkletProcessor {
  constructor() {
    super();
    this.cap = 48000;
    this.buf = new Float32Array(this.cap);
    this.r = 0; this.w = 0; this.n = 0;
    this.played = 0; this.underrun = 0; this.stopped = false;
    this.out = this.port;
    const onData = (e) => {
      const d = e.data;
      if (d === 'stop') { this.stopped = true; return; }
      if (d && d.port instanceof MessagePort) { this.out = d.port; d.port.onmessage = onData; return; }
      if (!(d instanceof Float32Array)) return;
      for (let i = 0; i < d.length; i++) {
        if (this.n === this.cap) { this.r = (this.r + 1) % this.cap; this.n--; }
        this.buf[this.w] = d[i]; this.w = (this.w + 1) % this.cap; this.n++;
      }
    };
    this.port.onmessage = onData;
  }
  process(inputs, outputs) {
    const out = outputs[0];
    const ch = out[0];
    for (let i = 0; i < ch.length; i++) {
      if (this.n > 0) { ch[i] = this.buf[this.r]; this.r = (this.r + 1) % this.cap; this.n--; this.played++; }
      else { ch[i] = 0; this.underrun++; }
    }
    for (let c = 1; c < out.length; c++) out[c].set(ch);
    this.out.postMessage({ played: this.played, underrun: this.underrun });
    return !this.stopped;
  }
}
registerProcessor('bitunicom-playout', Playout);
