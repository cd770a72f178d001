/**
 * @module node/payments
 * Money in a conversation (issue 10 item 7). A send is a transaction first (the wallet signs
 * and broadcasts it), then a PAYMENT chat message carrying its hash; a request is a message
 * naming the amount, token and network, paid to the wallet address of the requester's signed
 * profile. Both sides check every payment on chain and keep its status live:
 *
 *   pending ──receipt ok, recipient/amount/token match──▶ confirmed ("Confirmed in block N")
 *      │────receipt failed, or the chain says something else──▶ failed (with why)
 *      └────no network with that chain id here──▶ unverified (checked again if one is added)
 *   requested ──a confirmed send of this conversation that names it──▶ paid (paidBy = its hash)
 *
 * A crash between broadcasting and storing the message leaves the transaction in the wallet's
 * activity without a chat message (it was never acknowledged to the user as a chat payment).
 */
import type { MessageT, PaymentT } from '../../../src-preload/contract';
import { BuError, formatUnits, isBuError, parseUnits, pollLoop, silentLogger, type Logger } from '../base';
import type { ChatService, PaymentBody } from '../chat';
import { decodeTransferLog, parseAddress, type WalletService } from '../wallet';

type Fees = { tier?: 'slow' | 'normal' | 'fast'; maxFeePerGas?: string; maxPriorityFeePerGas?: string };
export type PayInput = { address: string; amount: string; token?: string; networkId?: string; note?: string } & Fees;

type Receipt = { status?: string; blockNumber?: string; logs?: { address: string; topics: string[]; data: string }[] };
type Tx = { from: string; to: string | null; value: string };

export class Payments {
  private loop: { stop(): Promise<void> } | null = null;
  private closed = false;

  constructor(
    private readonly chat: ChatService,
    private readonly wallet: WalletService,
    private readonly logger: Logger = silentLogger,
    private readonly pollMs = 2000,
  ) {}

  start(): this {
    this.loop = pollLoop(() => this.verifyAll(), this.pollMs, (e) => this.logger.warn('payment check failed', { error: String(e) }));
    return this;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop?.stop();
  }

  private friendWallet(address: string): string {
    const w = this.chat.contactWallet(address);
    if (!w) throw new BuError('NO_WALLET_ADDRESS', 'This friend has not shared a wallet address yet: it arrives with their profile once their app is online.');
    return w;
  }

  async send(i: PayInput, requestId: string | null = null): Promise<MessageT> {
    const to = this.friendWallet(i.address);
    const n = this.wallet.network(i.networkId);
    const item = await this.wallet.send({ friend: i.address, amount: i.amount, networkId: n.id, ...(i.token ? { token: i.token } : {}), ...fees(i) });
    const body: PaymentBody = {
      type: 'send',
      chainId: n.chainId,
      networkName: n.name,
      token: item.token,
      symbol: item.amount.symbol,
      decimals: item.amount.decimals,
      amount: item.amount.amount,
      to,
      from: item.from,
      txHash: item.hash,
      note: i.note ?? null,
      requestId,
    };
    return this.chat.sendPayment(i.address, body);
  }

  async request(i: PayInput): Promise<MessageT> {
    this.friendWallet(i.address); // a request goes to a friend we could pay back, too
    const n = this.wallet.network(i.networkId);
    const to = this.wallet.accounts.list()[0]!.address; // account 0: the wallet of our signed profile
    const token = i.token ? (this.wallet.tokens.find(n.id, i.token) ?? (await this.wallet.addToken(i.token, n.id))) : null;
    const decimals = token ? token.decimals : n.decimals;
    const amount = parseUnits(i.amount, decimals);
    if (amount === 0n) throw new BuError('BAD_INPUT', 'Enter an amount greater than 0.');
    return this.chat.sendPayment(i.address, {
      type: 'request',
      chainId: n.chainId,
      networkName: n.name,
      token: token && { address: token.address, symbol: token.symbol, name: token.name, decimals: token.decimals },
      symbol: token ? token.symbol : n.symbol,
      decimals,
      amount: amount.toString(),
      to,
      from: null,
      txHash: null,
      note: i.note ?? null,
      requestId: null,
    });
  }

  /** Pays the request `id` from `address` with its own amount, token and network. */
  async pay(i: { address: string; id: string } & Fees): Promise<MessageT> {
    const m = this.chat.getMessage(i.address, i.id);
    const p = m?.payment;
    if (!m || !p || p.type !== 'request' || m.direction !== 'in') throw new BuError('NOT_FOUND', 'There is no payment request with that id in this conversation.');
    if (p.status === 'paid') throw new BuError('BAD_INPUT', 'This request is paid already.');
    const n = this.wallet.networks.byChainId(p.chainId);
    if (!n) throw new BuError('WRONG_NETWORK', `The request is on chain id ${p.chainId} (${p.networkName}); add that network to pay it.`);
    const profile = this.friendWallet(i.address);
    if (profile.toLowerCase() !== p.to.toLowerCase()) throw new BuError('BAD_INPUT', `The request asks for payment to ${p.to}, which is not the wallet in this friend's profile (${profile}).`);
    const amount = formatUnits(BigInt(p.amount.amount), p.amount.decimals);
    const msg = await this.send({ address: i.address, amount, networkId: n.id, ...(p.token ? { token: p.token.address } : {}), ...fees(i) }, m.id);
    this.chat.setPaymentStatus(i.address, m.id, { status: 'paid', paidBy: msg.payment!.txHash, detail: `You paid it (${shortHash(msg.payment!.txHash!)})` });
    return msg;
  }

  /** Checks every payment still pending or unverified against its chain. */
  async verifyAll(): Promise<void> {
    for (const m of this.chat.paymentMessages({ status: ['pending', 'unverified'] })) {
      if (this.closed) return;
      const p = m.payment!;
      if (p.type !== 'send' || !p.txHash) continue;
      try {
        const v = await this.verify(p);
        if (v && (v.status !== p.status || v.detail !== p.detail)) {
          this.chat.setPaymentStatus(m.peer, m.id, v);
          if (v.status === 'confirmed' && p.requestId && m.direction === 'in') this.markPaid(m.peer, p.requestId, p.txHash);
        }
      } catch (e) {
        if (!isBuError(e) || !e.code.startsWith('RPC_')) throw e;
        if (p.detail !== `Cannot reach ${p.networkName} to check it`) this.chat.setPaymentStatus(m.peer, m.id, { status: 'pending', detail: `Cannot reach ${p.networkName} to check it` });
      }
    }
  }

  private markPaid(peer: string, requestId: string, txHash: string): void {
    const r = this.chat.getMessage(peer, requestId);
    if (r?.payment?.type === 'request' && r.direction === 'out' && r.payment.status !== 'paid') {
      const name = this.chat.listContacts().find((c) => c.address.toLowerCase() === peer.toLowerCase())?.name ?? 'your friend';
      this.chat.setPaymentStatus(peer, requestId, { status: 'paid', paidBy: txHash, detail: `Paid by ${name} (${shortHash(txHash)})` });
    }
  }

  /** null: still pending (no receipt yet). */
  private async verify(p: PaymentT): Promise<{ status: PaymentT['status']; detail: string | null } | null> {
    const n = this.wallet.networks.byChainId(p.chainId);
    if (!n) return { status: 'unverified', detail: `You have no network with chain id ${p.chainId} (${p.networkName}) to check it on` };
    const rpc = this.wallet.rpc(n);
    const [receipt, tx] = await Promise.all([rpc.call<Receipt | null>('eth_getTransactionReceipt', [p.txHash]), rpc.call<Tx | null>('eth_getTransactionByHash', [p.txHash])]);
    if (!receipt || !tx) return p.status === 'pending' && p.detail === null ? null : { status: 'pending', detail: null };
    const block = receipt.blockNumber ? BigInt(receipt.blockNumber).toString() : '?';
    if (receipt.status !== '0x1') return { status: 'failed', detail: `The transaction failed on chain (block ${block})` };
    const to = parseAddress(p.to, 'The recipient');
    if (p.from && tx.from.toLowerCase() !== p.from.toLowerCase()) return { status: 'failed', detail: 'The transaction on chain comes from another address' };
    if (p.token) {
      const ok = (receipt.logs ?? []).some((l) => {
        const t = decodeTransferLog(l);
        return t && t.token.toLowerCase() === p.token!.address.toLowerCase() && t.to === to && t.amount === BigInt(p.amount.amount);
      });
      if (!ok) return { status: 'failed', detail: `The transaction on chain does not transfer ${p.amount.formatted} to ${to}` };
    } else if (tx.to?.toLowerCase() !== to.toLowerCase() || BigInt(tx.value) !== BigInt(p.amount.amount)) {
      return { status: 'failed', detail: `The transaction on chain does not send ${p.amount.formatted} to ${to}` };
    }
    return { status: 'confirmed', detail: `Confirmed in block ${block}` };
  }
}

/** The payment's network under our own name for that chain (the sender's name otherwise). */
export function localizePayment(m: MessageT, wallet: WalletService): MessageT {
  const p = m.payment;
  const n = p && wallet.networks.byChainId(p.chainId);
  return n && n.name !== p.networkName ? { ...m, payment: { ...p, networkName: n.name } } : m;
}

const shortHash = (h: string) => `${h.slice(0, 10)}…${h.slice(-4)}`;

function fees(i: Fees): Fees {
  return { ...(i.tier ? { tier: i.tier } : {}), ...(i.maxFeePerGas ? { maxFeePerGas: i.maxFeePerGas } : {}), ...(i.maxPriorityFeePerGas ? { maxPriorityFeePerGas: i.maxPriorityFeePerGas } : {}) };
}
