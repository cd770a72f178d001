/**
 * @module wallet/service
 * `WalletService`: one unlocked wallet — accounts, networks, followed tokens, nonces and
 * activity — answering the bridge's `wallet.*` methods in the contract's shapes. Every
 * network, the embedded devnet included, is reached over its JSON-RPC URL with a client that
 * never hangs (rpc-client). Files live in one folder (`wallet/` of the profile):
 * accounts.json, networks.json, tokens.json, nonces.json, activity.json.
 *
 * A watch loop (every `pollMs`, default 2 s; never overlapping) works on the selected
 * network and on every network with pending transactions: it scans new blocks for the
 * accounts' activity (scanner.ts), settles pending transactions (NonceTracker.refresh), and
 * emits `changed` { kind: 'balances' } when the head moved, 'activity' when records changed,
 * 'networks' when a network's reachability changed. An unreachable RPC is retried at the same
 * pace, never thrown at the UI.
 *
 * Contract calls (call.ts): `quoteCall` / `sendCall`, EIP-1559 transactions with the caller's
 * calldata. Signatures for dapps (not on the bridge: the EIP-1193 provider calls them after the
 * user approved): `signPersonal` — EIP-191 version 0x45, `personal_sign` — and `signTypedData`
 * — EIP-712, `eth_signTypedData_v4`, validated by typed-data.ts, its domain's chain id the
 * network's.
 */
import { join } from 'node:path';
import type { ActivityItemT, CallInputT, CallQuoteT, NetworkStateT, ReceiveInfoT, SendInputT, SendQuoteT, WalletBalancesT, WalletChangeT, WalletNetworkT, WalletTokenT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, isBuError, parseUnits, pollLoop, silentLogger, type Logger } from '../base';
import type { VaultSecret } from '../account';
import { WalletAccounts } from './accounts';
import { ActivityLog, type ActivityStatus } from './activity';
import { parseAddress } from './address';
import { readBalances } from './balances';
import { prepareCall, sendCallPrepared } from './call';
import { readTokenInfo, type TokenInfo } from './erc20';
import { NetworkRegistry, type AddEthereumChainParameter, type BuiltinNetwork, type Network } from './networks';
import { NonceTracker, type TxOutcome } from './nonces';
import { formatPaymentLink } from './payment-link';
import type { ErrorDecoder } from './revert';
import { RpcClient } from './rpc-client';
import { scanStep } from './scanner';
import { prepareSend, replaceTx, resolveFrom, sendPrepared, type SendContext } from './send';
import { TokenList } from './tokens';
import { parseTypedData } from './typed-data';
import { accountView, activityView, amountOf, networkView } from './views';

export type WalletServiceOptions = {
  dir: string;
  secret: VaultSecret;
  wrapKey: Uint8Array;
  builtin: BuiltinNetwork[];
  /** Tokens listed on a network until the user removes them (the devnet's test token). */
  defaultTokens?: (networkId: string) => TokenInfo[];
  friendWallet?: (identity: string) => { address: string; name: string } | null;
  logger?: Logger;
  pollMs?: number;
  rpcTimeoutMs?: number;
};

type Reach = { state: NetworkStateT['state']; message: string | null; latencyMs: number | null; blockNumber: bigint | null };

const OUTCOME: Record<TxOutcome['outcome'], ActivityStatus> = { mined: 'confirmed', failed: 'failed', replaced: 'replaced', dropped: 'dropped' };

export class WalletService extends TypedEmitter<{ changed: WalletChangeT }> {
  private readonly rpcs = new Map<string, RpcClient>();
  private readonly reach = new Map<string, Reach>();
  private readonly heads = new Map<string, bigint>();
  private readonly tokenCache = new Map<string, TokenInfo | null>();
  private loop: { stop(): Promise<void> } | null = null;
  private closed = false;

  private constructor(
    readonly accounts: WalletAccounts,
    readonly networks: NetworkRegistry,
    readonly tokens: TokenList,
    readonly tracker: NonceTracker,
    readonly log: ActivityLog,
    private readonly o: WalletServiceOptions,
  ) {
    super();
  }

  static async open(o: WalletServiceOptions): Promise<WalletService> {
    const logger = o.logger ?? silentLogger;
    const accounts = await WalletAccounts.open({ file: join(o.dir, 'accounts.json'), secret: o.secret, wrapKey: o.wrapKey });
    const networks = new NetworkRegistry({ file: join(o.dir, 'networks.json'), builtin: o.builtin, logger });
    const s = new WalletService(accounts, networks, new TokenList(join(o.dir, 'tokens.json'), o.defaultTokens), NonceTracker.open(join(o.dir, 'nonces.json')), new ActivityLog(join(o.dir, 'activity.json')), o);
    for (const p of [networks.loadProblem?.reason, s.tokens.loadProblem, s.tracker.loadProblem, s.log.loadProblem]) if (p) logger.warn(p);
    networks.on('changed', (c) => s.emit('changed', { kind: 'networks', networkId: c.id }));
    return s;
  }

  /** Starts the watch loop. */
  start(): this {
    this.loop = pollLoop(() => this.tick(), this.o.pollMs ?? 2000);
    return this;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop?.stop();
    this.accounts.close();
    this.removeAll();
  }

  // ---- accounts ----

  accountList(includeHidden = false) {
    return this.accounts.list().filter((a) => includeHidden || !a.hidden).map(accountView);
  }

  accountChanged<T>(v: T): T {
    this.emit('changed', { kind: 'accounts', networkId: null });
    return v;
  }

  // ---- networks ----

  network(id?: string): Network {
    if (id === undefined) return this.networks.selected();
    const n = this.networks.get(id);
    if (!n) throw new BuError('NOT_FOUND', `There is no network "${id.slice(0, 40)}".`);
    return n;
  }

  networkList(): WalletNetworkT[] {
    const sel = this.networks.selected().id;
    return this.networks.list().map((n) => networkView(n, sel));
  }

  view(n: Network): WalletNetworkT {
    return networkView(n, this.networks.selected().id);
  }

  async addNetwork(i: { name: string; rpcUrl: string; chainId?: number | string; symbol?: string; currencyName?: string; explorerUrl?: string }): Promise<WalletNetworkT> {
    const p: AddEthereumChainParameter = {
      ...(i.chainId !== undefined ? { chainId: i.chainId } : {}),
      chainName: i.name,
      nativeCurrency: { name: i.currencyName ?? i.symbol ?? 'Ether', symbol: i.symbol ?? 'ETH', decimals: 18 },
      rpcUrls: [i.rpcUrl],
      ...(i.explorerUrl ? { blockExplorerUrls: [i.explorerUrl] } : {}),
    };
    return this.view(await this.networks.add(p));
  }

  async editNetwork(i: { id: string; name?: string; rpcUrl?: string; symbol?: string; explorerUrl?: string | null }): Promise<WalletNetworkT> {
    const n = await this.networks.edit(i.id, {
      ...(i.name !== undefined ? { chainName: i.name } : {}),
      ...(i.rpcUrl !== undefined ? { rpcUrls: [i.rpcUrl] } : {}),
      ...(i.symbol !== undefined ? { nativeCurrency: { symbol: i.symbol } } : {}),
      ...(i.explorerUrl !== undefined ? { blockExplorerUrls: i.explorerUrl === null ? [] : [i.explorerUrl] } : {}),
    });
    this.rpcs.delete(n.id);
    this.reach.delete(n.id);
    return this.view(n);
  }

  removeNetwork(id: string): void {
    this.networks.remove(id);
    this.tokens.drop(id);
    this.log.drop(id);
    this.rpcs.delete(id);
  }

  rpc(n: Network): RpcClient {
    let r = this.rpcs.get(n.id);
    if (!r || r.url !== n.rpcUrl) this.rpcs.set(n.id, (r = new RpcClient(n.rpcUrl, { timeoutMs: this.o.rpcTimeoutMs ?? 5000 })));
    return r;
  }

  async networkState(id?: string): Promise<NetworkStateT> {
    const n = this.network(id);
    const p = await this.networks.probe(n.id);
    const reach: Reach = p.state === 'ok' ? { state: 'ok', message: null, latencyMs: p.latencyMs, blockNumber: p.blockNumber } : { state: p.state, message: p.error.message, latencyMs: null, blockNumber: null };
    this.noteReach(n.id, reach);
    return { id: n.id, state: reach.state, latencyMs: reach.latencyMs, blockNumber: reach.blockNumber?.toString() ?? null, message: reach.message };
  }

  private noteReach(id: string, r: Reach): void {
    const old = this.reach.get(id);
    this.reach.set(id, r);
    if (old && (old.state !== r.state || old.message !== r.message)) this.emit('changed', { kind: 'networks', networkId: id });
  }

  // ---- tokens ----

  tokenList(networkId?: string): WalletTokenT[] {
    return this.tokens.list(this.network(networkId).id);
  }

  /** Symbol, name and decimals from the chain; WRONG_NETWORK when there is no ERC-20 at that address on it. */
  async tokenInfo(address: string, networkId?: string): Promise<WalletTokenT> {
    const n = this.network(networkId);
    return readTokenInfo(this.rpc(n), parseAddress(address, 'The token address')).catch((e: unknown) => {
      if (isBuError(e, 'BAD_INPUT')) throw new BuError('WRONG_NETWORK', `${e.message.replace(/\.$/, '')} (network ${n.name}).`);
      throw e;
    });
  }

  async addToken(address: string, networkId?: string): Promise<WalletTokenT> {
    const n = this.network(networkId);
    const t = this.tokens.add(n.id, await this.tokenInfo(address, n.id));
    this.emit('changed', { kind: 'tokens', networkId: n.id });
    return t;
  }

  removeToken(address: string, networkId?: string): void {
    const n = this.network(networkId);
    this.tokens.remove(n.id, address);
    this.emit('changed', { kind: 'tokens', networkId: n.id });
  }

  // ---- balances, sending, activity ----

  async balances(i: { account?: string; networkId?: string }): Promise<WalletBalancesT> {
    const n = this.network(i.networkId);
    const account = resolveFrom(this.accounts, i.account);
    const tokens = this.tokens.list(n.id);
    const base = { account, networkId: n.id, chainId: n.chainId };
    try {
      const b = await readBalances(this.rpc(n), { account, tokens: tokens.map((t) => t.address) });
      this.noteReach(n.id, { state: 'ok', message: null, latencyMs: null, blockNumber: b.blockNumber });
      return {
        ...base,
        blockNumber: b.blockNumber.toString(),
        native: amountOf(b.native, n.decimals, n.symbol),
        tokens: tokens.map((t, k) => {
          const r = b.tokens[k]!;
          return { ...t, balance: 'balance' in r ? amountOf(r.balance, t.decimals, t.symbol) : null, error: 'error' in r ? r.error.message : null };
        }),
        state: 'ok',
        message: null,
      };
    } catch (e) {
      if (!isBuError(e) || !['RPC_UNREACHABLE', 'RPC_ERROR', 'RPC_BAD_RESPONSE'].includes(e.code)) throw e;
      this.noteReach(n.id, { state: 'unreachable', message: e.message, latencyMs: null, blockNumber: null });
      return { ...base, blockNumber: null, native: null, tokens: tokens.map((t) => ({ ...t, balance: null, error: null })), state: 'unreachable', message: e.message };
    }
  }

  private ctx(networkId?: string): SendContext {
    const n = this.network(networkId);
    return { network: n, rpc: this.rpc(n), accounts: this.accounts, tracker: this.tracker, log: this.log, tokens: this.tokens, friendWallet: (id) => this.o.friendWallet?.(id) ?? null };
  }

  async quote(i: SendInputT): Promise<SendQuoteT> {
    return (await prepareSend(this.ctx(i.networkId), i)).quote;
  }

  async send(i: SendInputT): Promise<ActivityItemT> {
    const ctx = this.ctx(i.networkId);
    const r = await sendPrepared(ctx, await prepareSend(ctx, i));
    this.emit('changed', { kind: 'activity', networkId: ctx.network.id });
    return this.item(ctx.network, r);
  }

  /** Checks and prices a contract call; a revert is CALL_REVERTED, its custom error named by `errors` (the contract's ABI). */
  async quoteCall(i: CallInputT, errors?: ErrorDecoder): Promise<CallQuoteT> {
    return (await prepareCall(this.ctx(i.networkId), i, errors)).quote;
  }

  /** Quotes again (balances and state may have moved), then signs and broadcasts the call. */
  async sendCall(i: CallInputT, errors?: ErrorDecoder): Promise<ActivityItemT> {
    const ctx = this.ctx(i.networkId);
    const r = await sendCallPrepared(ctx, await prepareCall(ctx, i, errors));
    this.emit('changed', { kind: 'activity', networkId: ctx.network.id });
    return this.item(ctx.network, r);
  }

  /** EIP-191 `personal_sign` of raw bytes: 65 bytes r‖s‖v (v 27/28), 0x-hex. WATCH_ONLY for watch accounts. */
  signPersonal(from: string, message: Uint8Array): string {
    if (!(message instanceof Uint8Array)) throw new BuError('BAD_INPUT', 'A message to sign must be bytes.');
    if (message.length > MAX_PERSONAL_MESSAGE) throw new BuError('BAD_INPUT', `A message to sign is at most ${MAX_PERSONAL_MESSAGE / 1024} KiB.`);
    return this.accounts.signer(resolveFrom(this.accounts, from)).signMessage(message);
  }

  /** EIP-712 `eth_signTypedData_v4` signature, 0x-hex; WRONG_NETWORK when the domain is for another chain than the network's. */
  signTypedData(from: string, typedData: unknown, networkId?: string): string {
    const n = this.network(networkId);
    const signer = this.accounts.signer(resolveFrom(this.accounts, from));
    const t = parseTypedData(typedData, { chainId: n.chainId, name: n.name });
    return signer.signTypedData(t.domain, t.types, t.message);
  }

  async replace(hash: string, action: 'speed-up' | 'cancel'): Promise<ActivityItemT> {
    const chainIds = this.networks.list();
    const owner = chainIds.find((n) => this.log.byHash(n.id, hash).some((r) => r.ours && r.status === 'pending'));
    if (!owner) throw new BuError('NOT_FOUND', 'That transaction is not pending any more (or was not sent from this app).');
    const ctx = this.ctx(owner.id);
    const r = await replaceTx(ctx, hash, action);
    this.emit('changed', { kind: 'activity', networkId: owner.id });
    return this.item(owner, r);
  }

  activity(i: { account?: string; networkId?: string; limit?: number }): ActivityItemT[] {
    const n = this.network(i.networkId);
    const account = i.account === undefined ? undefined : parseAddress(i.account, 'The account');
    return this.log.list(n.id, account, i.limit ?? 100).map((r) => this.item(n, r));
  }

  private item(n: Network, r: Parameters<typeof activityView>[0]): ActivityItemT {
    const replaceable = r.ours && r.status === 'pending' && r.direction !== 'in' && this.tracker.pending(n.chainId, r.account).some((p) => p.hash.toLowerCase() === r.hash.toLowerCase());
    return activityView(r, n, replaceable);
  }

  receive(i: { account?: string; networkId?: string; amount?: string; token?: string }): ReceiveInfoT {
    const n = this.network(i.networkId);
    const address = resolveFrom(this.accounts, i.account);
    let link: string;
    if (i.token !== undefined) {
      const t = this.tokens.find(n.id, i.token);
      if (!t) throw new BuError('NOT_FOUND', 'Add the token to this network first: its decimals are needed to write the amount.');
      link = formatPaymentLink({ token: t.address, to: address, chainId: n.chainId, amount: i.amount === undefined ? 0n : parseUnits(i.amount, t.decimals) });
    } else {
      link = formatPaymentLink({ to: address, chainId: n.chainId, ...(i.amount !== undefined ? { value: parseUnits(i.amount, n.decimals) } : {}) });
    }
    return { address, network: { id: n.id, name: n.name, chainId: n.chainId, symbol: n.symbol }, link };
  }

  // ---- the watch loop ----

  private async tick(): Promise<void> {
    const sel = this.networks.selected();
    const watched = new Map<string, Network>([[sel.id, sel]]);
    for (const n of this.networks.list()) if (this.log.list(n.id, undefined, MAX_PENDING_SCAN).some((r) => r.ours && r.status === 'pending')) watched.set(n.id, n);
    for (const n of watched.values()) {
      if (this.closed) return;
      try {
        await this.watchNetwork(n);
      } catch (e) {
        if (isBuError(e) && ['RPC_UNREACHABLE', 'RPC_ERROR', 'RPC_BAD_RESPONSE'].includes(e.code)) this.noteReach(n.id, { state: 'unreachable', message: e.message, latencyMs: null, blockNumber: null });
        else (this.o.logger ?? silentLogger).warn('wallet watch failed', { network: n.id, error: String(e) });
      }
    }
  }

  private async watchNetwork(n: Network): Promise<void> {
    const rpc = this.rpc(n);
    const accounts = this.accounts.list().map((a) => a.address);
    const scan = await scanStep({ rpc, networkId: n.id, chainId: n.chainId, accounts, log: this.log, tokenInfo: (a) => this.scanTokenInfo(n, a) });
    let changed = scan.changed;
    for (const o of await this.tracker.refresh(rpc)) {
      changed = this.log.settle(n.id, o.hash, { status: OUTCOME[o.outcome], blockNumber: o.blockNumber?.toString() ?? null }) || changed;
    }
    this.noteReach(n.id, { state: 'ok', message: null, latencyMs: null, blockNumber: scan.head });
    if (changed) this.emit('changed', { kind: 'activity', networkId: n.id });
    if (this.heads.get(n.id) !== scan.head) {
      this.heads.set(n.id, scan.head);
      this.emit('changed', { kind: 'balances', networkId: n.id });
    }
  }

  private async scanTokenInfo(n: Network, address: string): Promise<TokenInfo | null> {
    const known = this.tokens.find(n.id, address);
    if (known) return known;
    const k = `${n.id}:${address.toLowerCase()}`;
    if (!this.tokenCache.has(k)) this.tokenCache.set(k, await readTokenInfo(this.rpc(n), address).catch(() => null));
    return this.tokenCache.get(k)!;
  }
}

const MAX_PENDING_SCAN = 500;
const MAX_PERSONAL_MESSAGE = 256 * 1024;
