/**
 * @module wallet/tokens
 * `TokenList`: the ERC-20 tokens (EIP-20) the user follows, per network id, with the symbol,
 * name and decimals read from the chain when added (erc20.readTokenInfo). Defaults (the
 * devnet's test token) are listed until the user removes them. One JSON file, replaced
 * atomically; a damaged file is moved aside as `.corrupt` and the defaults come back.
 *
 * File: { version: 1, networks: { [networkId]: { tokens: TokenInfo[], removed: string[] } } }
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { BuError } from '../base';
import { writeFileAtomic } from '../account';
import { parseAddress } from './address';
import type { TokenInfo } from './erc20';

/** Tokens per network: more would make one balance batch too large for public RPCs. */
export const MAX_TOKENS_PER_NETWORK = 100;

type Entry = { tokens: TokenInfo[]; removed: string[] };
type Doc = { version: 1; networks: Record<string, Entry> };

function checkToken(t: unknown): TokenInfo {
  const x = t as TokenInfo;
  if (typeof x !== 'object' || x === null || typeof x.symbol !== 'string' || typeof x.name !== 'string' || !Number.isInteger(x.decimals) || x.decimals < 0 || x.decimals > 77) {
    throw new Error('a token entry is malformed');
  }
  return { address: parseAddress(x.address, 'A token address'), symbol: x.symbol.slice(0, 11), name: x.name.slice(0, 64), decimals: x.decimals };
}

export class TokenList {
  /** Set when the file was damaged at load. */
  loadProblem: string | null = null;
  private doc: Doc = { version: 1, networks: {} };

  constructor(
    readonly file: string,
    private readonly defaults: (networkId: string) => TokenInfo[] = () => [],
  ) {
    if (!existsSync(file)) return;
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Doc;
      if (raw?.version !== 1 || typeof raw.networks !== 'object' || raw.networks === null) throw new Error('not a version 1 token list');
      for (const [id, e] of Object.entries(raw.networks)) {
        this.doc.networks[id] = { tokens: (e.tokens ?? []).map(checkToken), removed: (e.removed ?? []).map((a) => parseAddress(a, 'A removed token')) };
      }
    } catch (e) {
      this.doc = { version: 1, networks: {} };
      renameSync(file, `${file}.corrupt`);
      this.loadProblem = `The token list was damaged (${e instanceof Error ? e.message : String(e)}); it was moved to ${file}.corrupt.`;
    }
  }

  /** The tokens followed on `networkId`: defaults not removed, then the user's, without duplicates. */
  list(networkId: string): TokenInfo[] {
    const e = this.doc.networks[networkId];
    const removed = new Set((e?.removed ?? []).map((a) => a.toLowerCase()));
    const out: TokenInfo[] = [];
    const seen = new Set<string>();
    for (const t of [...this.defaults(networkId), ...(e?.tokens ?? [])]) {
      const k = t.address.toLowerCase();
      if (removed.has(k) || seen.has(k)) continue;
      seen.add(k);
      out.push({ ...t });
    }
    return out;
  }

  find(networkId: string, address: string): TokenInfo | undefined {
    const k = address.toLowerCase();
    return this.list(networkId).find((t) => t.address.toLowerCase() === k);
  }

  /** Follows `token` on `networkId` (already read from the chain). Adding it again updates it. */
  add(networkId: string, token: TokenInfo): TokenInfo {
    const t = checkToken(token);
    const e = this.entry(networkId);
    const k = t.address.toLowerCase();
    const tokens = [...e.tokens.filter((x) => x.address.toLowerCase() !== k), t];
    if (this.list(networkId).length >= MAX_TOKENS_PER_NETWORK && !this.find(networkId, t.address)) {
      throw new BuError('BAD_INPUT', `A network can follow at most ${MAX_TOKENS_PER_NETWORK} tokens.`);
    }
    this.save(networkId, { tokens, removed: e.removed.filter((a) => a.toLowerCase() !== k) });
    return { ...t };
  }

  remove(networkId: string, address: string): void {
    const a = parseAddress(address, 'The token address');
    if (!this.find(networkId, a)) throw new BuError('NOT_FOUND', `The token ${a} is not in your list for this network.`);
    const e = this.entry(networkId);
    const k = a.toLowerCase();
    const isDefault = this.defaults(networkId).some((t) => t.address.toLowerCase() === k);
    this.save(networkId, { tokens: e.tokens.filter((x) => x.address.toLowerCase() !== k), removed: isDefault ? [...e.removed, a] : e.removed });
  }

  /** Forget a network's tokens (the network was removed). */
  drop(networkId: string): void {
    if (!this.doc.networks[networkId]) return;
    const networks = { ...this.doc.networks };
    delete networks[networkId];
    this.write({ version: 1, networks });
  }

  private entry(networkId: string): Entry {
    return this.doc.networks[networkId] ?? { tokens: [], removed: [] };
  }

  private save(networkId: string, e: Entry): void {
    this.write({ version: 1, networks: { ...this.doc.networks, [networkId]: e } });
  }

  /** Writes first; the new state is adopted only once it is on disk. */
  private write(doc: Doc): void {
    writeFileAtomic(this.file, `${JSON.stringify(doc, null, 1)}\n`);
    this.doc = doc;
  }
}
