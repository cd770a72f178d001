/**
 * @module daemon/commands/poe-options
 * Option parsing for the POE network commands (`node --role …`, `devnet`): roles, the
 * bootstrap list `HOST:PORT[@ADDRESS],…`, the engine timeout overrides
 * `propose=MS,prevote=MS,…` (core/seal/params.ts `DEFAULT_TIMEOUTS`), block time. Every
 * mistake is a UsageError with one line naming the option.
 */
import { UsageError } from '../args';
import type { OptionValues } from '../context';
import { parseHostPort } from './node-options';

export type PoeRole = 'primary' | 'sealer';
export type BootPeer = { host: string; port: number; address?: string };
export type TimeoutOverrides = Partial<{ proposeMs: number; prevoteMs: number; precommitMs: number; deltaMs: number; collectMs: number }>;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function roleOption(values: OptionValues): PoeRole {
  const r = values.role;
  if (r === undefined) throw new UsageError('--role is required: primary (proposes and votes) or sealer (re-executes and seals)');
  if (r !== 'primary' && r !== 'sealer') throw new UsageError(`--role must be primary or sealer (got "${String(r)}")`);
  return r;
}

/** `HOST:PORT[@0xADDRESS],…` → peers (the address makes it a consensus peer to dial, not only a DHT contact). */
export function parseBootstrap(raw: string): BootPeer[] {
  return raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.lastIndexOf('@');
      const hp = at >= 0 ? item.slice(0, at) : item;
      const address = at >= 0 ? item.slice(at + 1) : undefined;
      const bad = () => new UsageError(`--bootstrap takes HOST:PORT[@ADDRESS][,…] (got "${item}")`);
      if (address !== undefined && !ADDRESS.test(address)) throw bad();
      let ep;
      try {
        ep = parseHostPort(hp, '--bootstrap');
      } catch {
        throw bad();
      }
      return address ? { ...ep, address: address.toLowerCase() } : ep;
    });
}

export function formatBootPeer(p: BootPeer): string {
  const host = p.host.includes(':') ? `[${p.host}]` : p.host;
  return `${host}:${p.port}${p.address ? `@${p.address}` : ''}`;
}

const TIMEOUT_KEYS = { propose: 'proposeMs', prevote: 'prevoteMs', precommit: 'precommitMs', delta: 'deltaMs', collect: 'collectMs' } as const;

/** `propose=1000,prevote=500` → `{ proposeMs: 1000, prevoteMs: 500 }`. */
export function parseTimeouts(raw: string): TimeoutOverrides {
  const out: TimeoutOverrides = {};
  for (const part of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d{1,6})$/.exec(part);
    const key = m ? TIMEOUT_KEYS[m[1] as keyof typeof TIMEOUT_KEYS] : undefined;
    if (!m || !key) throw new UsageError(`--timeouts takes NAME=MS[,…] with NAME one of ${Object.keys(TIMEOUT_KEYS).join(', ')} (got "${part}")`);
    out[key] = Number(m[2]);
  }
  return out;
}

export function formatTimeouts(t: TimeoutOverrides): string {
  return Object.entries(TIMEOUT_KEYS)
    .filter(([, k]) => t[k] !== undefined)
    .map(([name, k]) => `${name}=${t[k]}`)
    .join(',');
}

/** `--block-time SEC` (decimal seconds, 0.1–3600) in ms, or undefined. */
export function blockTimeOption(values: OptionValues): number | undefined {
  const v = values['block-time'];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!(n >= 0.1 && n <= 3600)) throw new UsageError('--block-time must be a number of seconds from 0.1 to 3600');
  return Math.round(n * 1000);
}
