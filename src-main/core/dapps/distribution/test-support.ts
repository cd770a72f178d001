/**
 * @module dapps/distribution/test-support
 * Fixtures for the distribution tests: signed multi-chunk bundles of random files (packed with
 * the package API), an in-memory network of swarms that loses a chosen fraction of payloads
 * (seeded, so a failing run can be replayed), and sources that misbehave on purpose.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, encodeContainer, keySigner, signContainer } from '../package';
import { appFiles, manifestFor, SAMPLE_AUTHOR_PRIVATE } from '../package/test-support';
import { heldOf, MemorySource, type BundleSource, type HeldBundle } from './source';
import { BundleSwarm, type SwarmOptions } from './swarm';

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomData(n: number, rnd: () => number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

/** A signed .bud of about `bytes` bytes of random content in several files. */
export async function makeBud(bytes: number, seed = 1, name = `Test App ${seed}`): Promise<{ bud: Uint8Array; contentHash: Uint8Array }> {
  const rnd = prng(seed);
  const m = manifestFor(SAMPLE_AUTHOR_PRIVATE, { name });
  const files = appFiles(m);
  const parts = 3;
  for (let i = 0; i < parts; i++) files.push({ path: `assets/blob-${i}.wasm`, bytes: randomData(Math.ceil(bytes / parts), rnd) });
  const b = buildBundle(files);
  const signed = await signContainer(encodeContainer(b), keySigner(SAMPLE_AUTHOR_PRIVATE));
  return { bud: signed.bytes, contentHash: b.contentHash };
}

export function tempDir(prefix = 'bu-dist-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Swarms that reach each other by name through setImmediate; `loss` of payloads vanish (seeded). */
/** What a MemoryNet delivers to: a swarm, or anything with onPayload. */
export type NetNode = { onPayload(from: string, data: Uint8Array): unknown; close?(): Promise<void> };

export class MemoryNet {
  readonly nodes = new Map<string, NetNode>();
  loss = 0;
  delivered = 0;
  dropped = 0;
  private readonly rnd: () => number;
  /** Extra per-link filter: return false to drop. */
  filter: (from: string, to: string, payload: Uint8Array) => boolean = () => true;

  constructor(seed = 7) {
    this.rnd = prng(seed);
  }

  sender(from: string): (to: string, payload: Uint8Array) => boolean {
    return (to, payload) => {
      const node = this.nodes.get(to);
      if (!node) return false;
      if (this.rnd() < this.loss || !this.filter(from, to, payload)) {
        this.dropped++;
        return true;
      }
      const copy = payload.slice();
      setImmediate(() => {
        this.delivered++;
        this.nodes.get(to)?.onPayload(from, copy);
      });
      return true;
    };
  }

  add(name: string, o: Partial<SwarmOptions> = {}): BundleSwarm {
    const s = new BundleSwarm({ send: this.sender(name), peers: () => [...this.nodes.keys()].filter((n) => n !== name), partialDir: o.partialDir ?? tempDir(), ...o });
    this.nodes.set(name, s);
    return s;
  }

  async close(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((s) => s.close?.()));
    this.nodes.clear();
  }
}

/** A MemorySource whose chunks come back with one byte flipped (all chunks, or those listed). */
export class CorruptSource extends MemorySource {
  constructor(private readonly which: number[] | 'all' = 'all') {
    super();
  }

  override async readChunk(contentHash: Uint8Array, i: number): Promise<Uint8Array | null> {
    const c = await super.readChunk(contentHash, i);
    if (!c || (this.which !== 'all' && !this.which.includes(i))) return c;
    const bad = c.slice();
    bad[bad.length >> 1]! ^= 0xff;
    return bad;
  }
}

/** Claims to hold `claimed` but serves the head and chunks of another bundle. */
export class ImpostorSource implements BundleSource {
  private readonly inner = new MemorySource();
  private readonly other: HeldBundle;

  constructor(
    private readonly claimed: Uint8Array,
    otherBud: Uint8Array,
  ) {
    this.inner.add(otherBud);
    this.other = heldOf(otherBud);
  }

  has(h: Uint8Array): boolean {
    return Buffer.from(h).equals(Buffer.from(this.claimed));
  }

  header(h: Uint8Array): HeldBundle | null {
    return this.has(h) ? { ...this.other, contentHash: this.claimed } : null;
  }

  readChunk(h: Uint8Array, i: number): Promise<Uint8Array | null> {
    return this.has(h) ? this.inner.readChunk(this.other.contentHash, i) : Promise.resolve(null);
  }

  list(): Uint8Array[] {
    return [this.claimed];
  }

  add(): Uint8Array {
    throw new Error('read-only');
  }
}
