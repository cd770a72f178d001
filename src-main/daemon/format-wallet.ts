/**
 * @module daemon/format-wallet
 * Human output of `bitunicom wallet …` (`--json` prints the bridge's shapes instead, amounts
 * in base units). Amounts are shown with the node's `formatted` text (exact bigint formatting,
 * thousands grouped); fees per gas in exact gwei. Names, symbols and URLs can come from a
 * token contract, an RPC server or a peer, so every one goes through `oneLine` first.
 */
import type { ActivityItemT, ReceiveInfoT, SendQuoteT, WalletAccountT, WalletBalancesT, WalletNetworkT, WalletTokenT } from '../../src-preload/contract';
import { formatTime, oneLine, table } from './format';

/** Wei (decimal string) as exact gwei: `1500000000` → `1.5 gwei`. */
export function formatGwei(wei: string): string {
  if (!/^\d+$/.test(wei)) return `${oneLine(wei)} wei`;
  const v = BigInt(wei);
  const unit = 10n ** 9n;
  const frac = (v % unit).toString().padStart(9, '0').replace(/0+$/, '');
  return `${v / unit}${frac ? `.${frac}` : ''} gwei`;
}

/** `0x1234…abcd`: for table columns where the whole address would not fit. */
export function shortHex(h: string, keep = 6): string {
  return h.length <= 2 + keep * 2 ? h : `${h.slice(0, 2 + keep)}…${h.slice(-keep)}`;
}

export function accountKind(a: Pick<WalletAccountT, 'kind' | 'index'>): string {
  if (a.kind === 'hd') return a.index === null ? 'hd' : `hd #${a.index}`;
  return a.kind === 'watch' ? 'watch-only' : 'imported';
}

/** `Account 1 (0x…)` or the bare address when unnamed. */
export function accountLabel(a: Pick<WalletAccountT, 'name' | 'address'>): string {
  const n = oneLine(a.name);
  return n ? `${n} (${a.address})` : a.address;
}

export function formatAccount(a: WalletAccountT): string {
  return `${accountLabel(a)}: ${accountKind(a)}${a.hidden ? ', hidden' : ''}`;
}

/** NAME ADDRESS KIND HIDDEN. */
export function formatAccounts(list: readonly WalletAccountT[]): string {
  if (!list.length) return 'No accounts (the wallet opens once the profile is unlocked).';
  return table(
    ['NAME', 'ADDRESS', 'KIND', 'HIDDEN'],
    list.map((a) => [oneLine(a.name) || '-', a.address, accountKind(a), a.hidden ? 'yes' : 'no']),
  );
}

/** `* ID NAME CHAIN SYMBOL RPC`, the selected network starred. */
export function formatNetworks(list: readonly WalletNetworkT[]): string {
  if (!list.length) return 'No networks.';
  return table(
    ['', 'ID', 'NAME', 'CHAIN ID', 'SYMBOL', 'RPC', 'EXPLORER'],
    list.map((n) => [n.selected ? '*' : '', oneLine(n.id), oneLine(n.name), String(n.chainId), oneLine(n.symbol), oneLine(n.rpcUrl), n.explorerUrl ? oneLine(n.explorerUrl) : '-']),
  );
}

export function formatNetwork(n: WalletNetworkT): string {
  const bits = [`chain id ${n.chainId}`, oneLine(n.symbol), oneLine(n.rpcUrl)];
  if (n.explorerUrl) bits.push(`explorer ${oneLine(n.explorerUrl)}`);
  if (n.builtin) bits.push('built in');
  if (n.selected) bits.push('selected');
  return `${oneLine(n.name)} [${oneLine(n.id)}]: ${bits.join(', ')}`;
}

export function tokenLabel(t: Pick<WalletTokenT, 'symbol' | 'name' | 'address'>): string {
  const name = oneLine(t.name);
  return `${oneLine(t.symbol)}${name && name !== oneLine(t.symbol) ? ` (${name})` : ''} ${t.address}`;
}

export function formatTokens(list: readonly WalletTokenT[], network: string): string {
  if (!list.length) return `No tokens followed on ${oneLine(network)} (add one: bitunicom wallet tokens add ADDRESS).`;
  return table(['SYMBOL', 'NAME', 'DECIMALS', 'CONTRACT'], list.map((t) => [oneLine(t.symbol), oneLine(t.name), String(t.decimals), t.address]));
}

/**
 * The balance block: account, network and block, then one line per asset (the native token
 * first). `network` is the network's name when the caller knows it.
 */
export function formatBalances(b: WalletBalancesT, network?: string): string {
  const where = `${oneLine(network ?? b.networkId)} (chain id ${b.chainId})`;
  const lines = [`Account: ${b.account}`, `Network: ${where}${b.blockNumber === null ? '' : `, block #${b.blockNumber}`}`];
  if (b.state !== 'ok') {
    lines.push(`State:   ${b.state === 'unreachable' ? 'unreachable' : 'wrong chain'}${b.message ? ` — ${oneLine(b.message)}` : ''}`);
    return lines.join('\n');
  }
  const rows: string[][] = [];
  if (b.native) rows.push([oneLine(b.native.symbol), oneLine(b.native.formatted), '(native)']);
  for (const t of b.tokens) {
    const shown = t.balance ? oneLine(t.balance.formatted) : `unavailable${t.error ? ` (${oneLine(t.error)})` : ''}`;
    rows.push([oneLine(t.symbol), shown, t.address]);
  }
  lines.push('', table(['ASSET', 'BALANCE', 'CONTRACT'], rows));
  return lines.join('\n');
}

const TIER_LABEL: Record<SendQuoteT['tier'], string> = { slow: 'slow', normal: 'normal', fast: 'fast', custom: 'custom max fee' };

function feeLine(q: SendQuoteT): string {
  return `${TIER_LABEL[q.tier]}: at most ${formatGwei(q.fee.maxFeePerGas)} per gas (tip ${formatGwei(q.fee.maxPriorityFeePerGas)}), base fee now ${formatGwei(q.baseFee)}`;
}

/** The confirmation screen of a send, as lines (shown on stderr before the prompt). */
export function formatQuote(q: SendQuoteT, fromName?: string): string[] {
  const to = q.friend ? `${oneLine(q.friend.name) || q.friend.address}'s wallet ${q.to}` : q.to;
  const lines = [
    `From:     ${fromName ? accountLabel({ name: fromName, address: q.from }) : q.from}`,
    `To:       ${to}`,
    `Network:  ${oneLine(q.network.name)} (chain id ${q.network.chainId})`,
    `Amount:   ${oneLine(q.amount.formatted)}${q.token ? ` (token ${q.token.address})` : ''}`,
    `Fee:      ${feeLine(q)}`,
    `Gas:      limit ${q.gasLimit}, so the fee is at most ${oneLine(q.maxFee.formatted)}`,
    `Total:    ${oneLine(q.total)}`,
  ];
  for (const w of q.warnings) lines.push(`Warning:  ${oneLine(w)}`);
  return lines;
}

const STATUS_LABEL: Record<ActivityItemT['status'], string> = {
  pending: 'pending',
  confirmed: 'confirmed',
  failed: 'FAILED',
  replaced: 'replaced',
  dropped: 'dropped',
};

/** `sent`, `received`, `to self`, or the replacement kind. */
function what(i: ActivityItemT): string {
  if (i.replacement === 'cancel') return 'cancel';
  if (i.replacement === 'speed-up') return 'speed-up';
  return i.direction === 'in' ? 'received' : i.direction === 'self' ? 'to self' : 'sent';
}

function counterparty(i: ActivityItemT): string {
  if (i.direction === 'in') return `from ${i.from}`;
  return i.to ? `to ${i.to}` : 'contract creation';
}

/** TIME STATUS WHAT AMOUNT WITH HASH, newest first as the node lists them. */
export function formatHistory(list: readonly ActivityItemT[]): string {
  if (!list.length) return 'No activity on this network yet.';
  return table(
    ['TIME', 'STATUS', 'WHAT', 'AMOUNT', 'WITH', 'HASH'],
    list.map((i) => [formatTime(i.at), STATUS_LABEL[i.status], what(i), oneLine(i.amount.formatted), counterparty(i), i.hash]),
  );
}

/** A transaction of ours just sent (or a replacement), with how to follow it. */
export function formatSent(i: ActivityItemT, verb = 'Sent'): string {
  const lines = [
    `${verb}: ${oneLine(i.amount.formatted)} ${counterparty(i)} (${STATUS_LABEL[i.status]}${i.nonce === null ? '' : `, nonce ${i.nonce}`})`,
    `Hash:    ${i.hash}`,
  ];
  if (i.fee) lines.push(`Fee:     at most ${oneLine(i.fee.formatted)}`);
  if (i.explorerUrl) lines.push(`Explorer: ${oneLine(i.explorerUrl)}`);
  lines.push(`Follow it with: bitunicom wallet history${i.status === 'pending' && i.replaceable ? `; speed it up or cancel it with: bitunicom wallet speed-up|cancel ${i.hash}` : ''}`);
  return lines.join('\n');
}

/** One activity line for the replacement prompt. */
export function formatActivityItem(i: ActivityItemT): string {
  return `${formatTime(i.at)} ${STATUS_LABEL[i.status]} ${what(i)} ${oneLine(i.amount.formatted)} ${counterparty(i)}${i.nonce === null ? '' : `, nonce ${i.nonce}`}${i.fee ? `, fee at most ${oneLine(i.fee.formatted)}` : ''}`;
}

export function formatReceive(r: ReceiveInfoT): string {
  return [`Address: ${r.address}`, `Network: ${oneLine(r.network.name)} (chain id ${r.network.chainId}, ${oneLine(r.network.symbol)})`, `Link:    ${oneLine(r.link)}`].join('\n');
}
