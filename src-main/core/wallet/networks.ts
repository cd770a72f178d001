/**
 * @module wallet/networks
 * The user's EVM networks, in the shape of EIP-3085 `wallet_addEthereumChain`
 * (https://eips.ethereum.org/EIPS/eip-3085): chainId, chainName, nativeCurrency {name, symbol,
 * decimals: 18}, rpcUrls, blockExplorerUrls (iconUrls accepted and ignored, other keys refused).
 * Rules: chainId a positive integer ≤ 2^53-1 (number, bigint, decimal or 0x-hex text), names
 * 1–64 characters, symbol 2–6, decimals exactly 18, 1–8 RPC and 0–8 explorer URLs, http(s) only.
 *
 * `add` asks the first RPC URL for `eth_chainId` (EIP-695) with a short timeout: another chain id
 * is refused (CHAIN_ID_MISMATCH), an omitted one is taken from the node, an unreachable node is
 * refused with the RPC's error. Two networks never share a chain id. `edit` re-validates and asks
 * again when the first RPC URL or the chain id changed. Built-in networks come from the caller at
 * every start (never stored), cannot be edited or removed; the first one is the default selection.
 *
 * File: { version: 1, selected, networks: [{ id, chainId, name, symbol, currencyName, rpcUrls,
 * blockExplorerUrls }] }, replaced atomically (tmp 0600 + fsync + rename + directory fsync). A
 * file that is not JSON, or holds entries that no longer validate, is renamed to `<file>.corrupt`
 * (never silently lost), logged and reported in `loadProblem`; its valid entries are kept.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../account';
import { BuError, TypedEmitter, silentLogger, toBuError, type ErrorCode, type Logger } from '../base';
import { RpcClient, RpcClientError } from './rpc-client';
import { bad, isObj, parseChainId, toParams, validateChainParams, type AddEthereumChainParameter, type Fields, type Network, type NetworkPatch } from './chain-params';

export { chainIdHex, parseChainId, toAddEthereumChain, validateChainParams, type AddEthereumChainParameter, type Network, type NetworkPatch } from './chain-params';

export type BuiltinNetwork = { id: string; chainId: number; name: string; symbol: string; rpcUrl: string; builtin: true; currencyName?: string; blockExplorerUrls?: string[] };

export type NetworkError = { code: ErrorCode; kind: string; message: string };
export type ProbeResult = { state: 'ok'; latencyMs: number; blockNumber: bigint } | { state: 'unreachable' | 'wrong-chain'; error: NetworkError };
export type NetworkChange = { kind: 'added' | 'edited' | 'removed' | 'selected'; id: string; selected: string };
export type NetworkRegistryOptions = { file: string; builtin: BuiltinNetwork[]; logger?: Logger; checkTimeoutMs?: number; probeTimeoutMs?: number };

export const CHAIN_ID_MISMATCH_CODE: ErrorCode = 'CHAIN_ID_MISMATCH';

export class ChainIdMismatchError extends BuError {
  readonly kind = 'CHAIN_ID_MISMATCH';
  constructor(readonly host: string, readonly actual: bigint, readonly expected: number) {
    super(CHAIN_ID_MISMATCH_CODE, `The RPC at ${host} reports chain id ${actual}, not ${expected}.`);
    this.name = 'ChainIdMismatchError';
  }
}


const copy = (n: Network): Network => ({ ...n, rpcUrls: [...n.rpcUrls], blockExplorerUrls: [...n.blockExplorerUrls] });
const make = (id: string, f: Fields & { chainId: number }, builtin: boolean): Network => ({ id, ...f, chainId: f.chainId, decimals: 18, rpcUrl: f.rpcUrls[0]!, builtin });
const errorShape = (e: unknown): NetworkError => {
  const b = toBuError(e);
  return { code: b.code, kind: (b as { kind?: string }).kind ?? b.code, message: b.message };
};

export class NetworkRegistry extends TypedEmitter<{ changed: NetworkChange }> {
  readonly file: string;
  /** Set when the file was damaged at load: where it was moved and why. */
  loadProblem: { movedTo: string; reason: string } | null = null;
  private readonly builtins: Network[];
  private user: Network[] = [];
  private selectedId: string;
  private readonly log: Logger;
  private readonly checkMs: number;
  private readonly probeMs: number;

  constructor(o: NetworkRegistryOptions) {
    super();
    if (!isObj(o) || typeof o.file !== 'string' || o.file === '' || !Array.isArray(o.builtin) || o.builtin.length === 0) {
      throw bad('The network registry needs a file path and at least one built-in network.');
    }
    this.file = o.file;
    this.log = o.logger ?? silentLogger;
    this.checkMs = o.checkTimeoutMs ?? 5000;
    this.probeMs = o.probeTimeoutMs ?? 3000;
    for (const ms of [this.checkMs, this.probeMs]) if (!Number.isInteger(ms) || ms < 1 || ms > 600_000) throw bad('The network timeouts must be whole milliseconds from 1 to 600000.');
    this.builtins = [];
    for (const b of o.builtin) {
      if (!isObj(b) || typeof b.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,31}$/.test(b.id)) throw bad(`The built-in network id "${String(isObj(b) ? b.id : b)}" must be 1 to 32 lowercase letters, digits or dashes.`);
      const f = validateChainParams({ chainId: parseChainId(b.chainId), chainName: b.name, nativeCurrency: { name: b.currencyName ?? b.name, symbol: b.symbol, decimals: 18 }, rpcUrls: [b.rpcUrl], blockExplorerUrls: b.blockExplorerUrls });
      if (this.builtins.some((x) => x.id === b.id)) throw bad(`Two built-in networks have the id ${b.id}.`);
      const n = make(b.id, { ...f, chainId: f.chainId! }, true);
      this.clash(n, this.builtins);
      this.builtins.push(n);
    }
    this.selectedId = this.builtins[0]!.id;
    this.load();
  }

  list(): Network[] {
    return this.all().map(copy);
  }

  get(id: string): Network | undefined {
    const n = this.find(id);
    return n && copy(n);
  }

  byChainId(chainId: number | string | bigint): Network | undefined {
    const c = parseChainId(chainId);
    const n = this.all().find((x) => x.chainId === c);
    return n && copy(n);
  }

  selected(): Network {
    return copy(this.find(this.selectedId) ?? this.builtins[0]!);
  }

  select(id: string): Network {
    const n = this.need(id);
    this.commit(this.user, n.id, { kind: 'selected', id: n.id });
    return copy(n);
  }

  async add(input: AddEthereumChainParameter): Promise<Network> {
    const f = validateChainParams(input);
    if (f.chainId !== undefined) this.clash({ id: '', chainId: f.chainId }, this.all());
    const chainId = await this.verify(f.rpcUrls[0]!, f.chainId);
    const n = make(`net-${randomBytes(6).toString('hex')}`, { ...f, chainId }, false);
    this.clash(n, this.all()); // again: another add may have finished meanwhile
    this.commit([...this.user, n], this.selectedId, { kind: 'added', id: n.id });
    return copy(n);
  }

  async edit(id: string, patch: NetworkPatch): Promise<Network> {
    const cur = this.mutable(id, 'edited');
    if (!isObj(patch) || (patch.nativeCurrency !== undefined && !isObj(patch.nativeCurrency))) throw bad('The changes to a network must be given as an object (nativeCurrency too).');
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const base = toParams(cur);
    const f = validateChainParams({ ...base, ...defined, nativeCurrency: { ...base.nativeCurrency, ...patch.nativeCurrency } });
    const chainId = f.chainId ?? cur.chainId;
    this.clash({ id, chainId }, this.all());
    if (f.rpcUrls[0] !== cur.rpcUrl || chainId !== cur.chainId) await this.verify(f.rpcUrls[0]!, chainId);
    this.mutable(id, 'edited'); // still there after the check
    const n = make(id, { ...f, chainId }, false);
    this.clash(n, this.all());
    this.commit(this.user.map((x) => (x.id === id ? n : x)), this.selectedId, { kind: 'edited', id });
    return copy(n);
  }

  remove(id: string): void {
    this.mutable(id, 'removed');
    const selected = this.selectedId === id ? this.builtins[0]!.id : this.selectedId;
    this.commit(this.user.filter((x) => x.id !== id), selected, { kind: 'removed', id });
  }

  /** Is the network's RPC answering, on the right chain? Never takes much longer than `timeoutMs`. */
  async probe(id: string, opts: { timeoutMs?: number } = {}): Promise<ProbeResult> {
    const n = this.need(id);
    const rpc = new RpcClient(n.rpcUrl, { timeoutMs: opts.timeoutMs ?? this.probeMs });
    const t0 = performance.now();
    try {
      const [cid, bn] = await Promise.all([rpc.call('eth_chainId'), rpc.call('eth_blockNumber')]);
      const latencyMs = Math.round(performance.now() - t0);
      const actual = quantity(cid, rpc, 'eth_chainId');
      if (actual !== BigInt(n.chainId)) return { state: 'wrong-chain', error: errorShape(new ChainIdMismatchError(rpc.host, actual, n.chainId)) };
      return { state: 'ok', latencyMs, blockNumber: quantity(bn, rpc, 'eth_blockNumber') };
    } catch (e) {
      return { state: 'unreachable', error: errorShape(e) };
    }
  }

  // ---- internals ----

  private all = (): Network[] => [...this.builtins, ...this.user];
  private find = (id: string): Network | undefined => this.all().find((n) => n.id === id);

  private need(id: string): Network {
    const n = typeof id === 'string' ? this.find(id) : undefined;
    if (!n) throw new BuError('NOT_FOUND', `There is no network "${String(id).slice(0, 40)}".`);
    return n;
  }

  private mutable(id: string, what: string): Network {
    const n = this.need(id);
    if (n.builtin) throw bad(`The ${n.name} network is built in and cannot be ${what}.`);
    return n;
  }

  private clash(n: { id: string; chainId: number }, among: Network[]): void {
    const other = among.find((x) => x.id !== n.id && x.chainId === n.chainId);
    if (other) throw bad(`The network ${other.name} already uses chain id ${n.chainId}; edit that one instead.`);
  }

  private async verify(url: string, expected: number | undefined): Promise<number> {
    const rpc = new RpcClient(url, { timeoutMs: this.checkMs });
    const actual = quantity(await rpc.call('eth_chainId'), rpc, 'eth_chainId');
    if (expected !== undefined && actual !== BigInt(expected)) throw new ChainIdMismatchError(rpc.host, actual, expected);
    if (actual < 1n || actual > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`The RPC at ${rpc.host} reports chain id ${actual}, which a wallet cannot use.`);
    return Number(actual);
  }

  private commit(user: Network[], selected: string, change: Omit<NetworkChange, 'selected'>): void {
    this.save(user, selected);
    this.emit('changed', { ...change, selected });
  }

  /** Writes the file, then (only once it is written) adopts the new state. */
  private save(user: Network[], selected: string): void {
    const doc = { version: 1, selected, networks: user.map(({ id, chainId, name, symbol, currencyName, rpcUrls, blockExplorerUrls }) => ({ id, chainId, name, symbol, currencyName, rpcUrls, blockExplorerUrls })) };
    try {
      writeFileAtomic(this.file, `${JSON.stringify(doc, null, 2)}\n`);
    } catch (e) {
      throw new BuError('INTERNAL', `The network list ${this.file} could not be saved.`, { cause: e });
    }
    this.user = user;
    this.selectedId = selected;
  }

  private load(): void {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return;
      throw new BuError('INTERNAL', `The network list ${this.file} could not be read.`, { cause: e });
    }
    let doc: unknown = null;
    try {
      doc = JSON.parse(raw);
    } catch {}
    if (!isObj(doc) || doc.version !== 1 || !Array.isArray(doc.networks)) return this.quarantine('it is not a version 1 network list in JSON', [], this.selectedId);
    const kept: Network[] = [];
    const problems: string[] = [];
    doc.networks.forEach((s: unknown, i) => {
      try {
        if (!isObj(s) || typeof s.id !== 'string' || !/^net-[0-9a-f]{12}$/.test(s.id)) throw bad('its id is missing or malformed');
        const f = validateChainParams({ chainId: s.chainId, chainName: s.name, nativeCurrency: { name: s.currencyName, symbol: s.symbol, decimals: 18 }, rpcUrls: s.rpcUrls, blockExplorerUrls: s.blockExplorerUrls });
        if (f.chainId === undefined) throw bad('its chain id is missing');
        if (kept.some((x) => x.id === s.id)) throw bad(`the id ${s.id} is used twice`);
        const n = make(s.id, { ...f, chainId: f.chainId }, false);
        this.clash(n, [...this.builtins, ...kept]);
        kept.push(n);
      } catch (e) {
        problems.push(`network ${i + 1}: ${toBuError(e).message}`);
      }
    });
    const selected = typeof doc.selected === 'string' && [...this.builtins, ...kept].some((x) => x.id === doc.selected) ? doc.selected : this.builtins[0]!.id;
    if (problems.length) return this.quarantine(problems.join('; '), kept, selected);
    this.user = kept;
    this.selectedId = selected;
  }

  /** Moves the damaged file aside (never overwritten) and saves what could be kept. */
  private quarantine(reason: string, kept: Network[], selected: string): void {
    let movedTo = `${this.file}.corrupt`;
    for (let i = 2; existsSync(movedTo); i++) movedTo = `${this.file}.corrupt.${i}`;
    try {
      renameSync(this.file, movedTo);
    } catch (e) {
      throw new BuError('INTERNAL', `The network list ${this.file} is damaged (${reason}) and could not be moved aside.`, { cause: e });
    }
    this.loadProblem = { movedTo, reason };
    this.log.warn('wallet: the network list was damaged; kept it aside and started from what was valid', { file: this.file, movedTo, reason, kept: kept.length });
    this.save(kept, selected);
  }
}

function quantity(v: unknown, rpc: RpcClient, method: string): bigint {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(v)) return BigInt(v);
  throw new RpcClientError('RPC_BAD_RESPONSE', rpc.host, `The RPC at ${rpc.host} answered ${method} with ${JSON.stringify(v)?.slice(0, 40)}, not a hex number.`);
}

/** tmp (0600) + fsync + rename + directory fsync. */
