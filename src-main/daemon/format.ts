/**
 * @module daemon/format
 * Human output for the CLI (`--json` prints the raw results instead). Everything a peer can
 * choose (names, message text) goes through `safeText` first: control characters are removed
 * so a message cannot drive the terminal with escape sequences.
 */
import { errorSentence, type AppStateT, type ContactT, type MessageT, type NodeStatusT } from '../../src-preload/contract';

/** Removes C0/C1 control characters (ESC, BEL, CR, …) except newline and tab. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '');
}

/** One line: newlines and tabs become spaces too. */
export function oneLine(s: string): string {
  return safeText(s).replace(/[\n\t]+/g, ' ').trim();
}

/** Quotes a path or word for a POSIX shell only when needed. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local time `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The single stderr line for a failure: the UI's sentence for the code plus the detail. */
export function formatError(code: string, detail?: string): string {
  const sentence = errorSentence(code);
  const extra = detail ? oneLine(detail) : '';
  return extra && extra !== sentence ? `error: ${sentence} (${extra})` : `error: ${sentence}`;
}

const STATE_LABEL: Record<ContactT['state'], string> = {
  pending_out: 'request sent',
  pending_in: 'wants to connect',
  friend: 'friend',
  declined: 'declined',
  blocked: 'blocked',
};

export function contactLabel(c: Pick<ContactT, 'name' | 'address'>): string {
  const name = oneLine(c.name);
  return name ? `${name} (${c.address})` : c.address;
}

export function formatContact(c: ContactT): string {
  const bits = [STATE_LABEL[c.state]];
  if (c.online) bits.push('online');
  if (c.unread) bits.push(`${c.unread} unread`);
  return `${contactLabel(c)}: ${bits.join(', ')}`;
}

/** A table: NAME ADDRESS STATE ONLINE UNREAD LAST. */
export function formatContacts(list: readonly ContactT[], empty = 'No contacts yet. Share your link (bitunicom invite) or add one (bitunicom add <invite>).'): string {
  if (!list.length) return empty;
  const rows = list.map((c) => [
    oneLine(c.name) || '-',
    c.address,
    STATE_LABEL[c.state],
    c.online ? 'yes' : 'no',
    String(c.unread),
    c.lastMessage ? `${c.lastMessage.direction === 'out' ? 'you: ' : ''}${truncate(oneLine(c.lastMessage.text), 40)}` : '',
  ]);
  return table(['NAME', 'ADDRESS', 'STATE', 'ONLINE', 'UNREAD', 'LAST MESSAGE'], rows);
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const MESSAGE_STATE: Record<MessageT['state'], string> = {
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  received: 'received',
  failed: 'FAILED',
};

/** `2024-05-01 12:00:00  you → Bob  [delivered]` then the text, indented. */
export function formatMessage(m: MessageT, peerName: string): string {
  const who = m.direction === 'out' ? `you → ${oneLine(peerName)}` : `${oneLine(peerName)} → you`;
  const text = safeText(m.text)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `${formatTime(m.sentAt)}  ${who}  [${MESSAGE_STATE[m.state]}]\n${text}`;
}

export function formatMessages(list: readonly MessageT[], peerName: string): string {
  return list.length ? list.map((m) => formatMessage(m, peerName)).join('\n') : `No messages with ${oneLine(peerName)} yet.`;
}

const PHASE_LABEL: Record<AppStateT['phase'], string> = {
  'no-account': 'no account (create one in the UI or with: bitunicom init)',
  locked: 'locked (unlock in the UI or with: bitunicom unlock)',
  unlocked: 'unlocked',
};

export function formatState(s: AppStateT): string {
  const lines = [`Account:  ${PHASE_LABEL[s.phase]}`];
  if (s.address) lines.push(`Address:  ${s.address}`);
  if (s.name) lines.push(`Name:     ${oneLine(s.name)}`);
  lines.push(`Profile:  ${s.dataDir}`);
  return lines.join('\n');
}

export function formatStatus(s: NodeStatusT, daemon?: { pid: number; ui: string; startedAt: number }): string {
  const lines = [`Account:  ${PHASE_LABEL[s.phase]}`];
  if (s.address) lines.push(`Address:  ${s.address}`);
  if (s.name) lines.push(`Name:     ${oneLine(s.name)}`);
  lines.push(`UDP:      ${s.listen ? `${s.listen.host}:${s.listen.port}` : 'not listening (starts when unlocked)'}`);
  if (daemon) {
    lines.push(`Node:     pid ${daemon.pid}, up ${formatDuration(Date.now() - daemon.startedAt)}, version ${s.version}`);
    lines.push(`UI:       ${daemon.ui}`);
  }
  if (s.phase === 'unlocked') {
    const mapped = s.nat.mapped ? ` (seen as ${s.nat.mapped.host}:${s.nat.mapped.port})` : '';
    lines.push(`NAT:      ${s.nat.type}${mapped}`);
    lines.push(`DHT:      ${s.dhtNodes} node(s) known`);
    lines.push(`Routers:  ${s.routers.length === 0 ? 'none' : s.routers.map((r) => `${r.endpoint.host}:${r.endpoint.port}${r.rttMs === null ? '' : ` (${Math.round(r.rttMs)} ms)`}`).join(', ')}`);
    if (s.roster) {
      const r = s.roster;
      const restored = r.restoredAt ? `restored ${r.contacts} contact(s) ${formatDuration(Date.now() - r.restoredAt)} ago; ` : '';
      const state = r.restoring && r.version === 0 ? 'looking for a backup at the routers' : r.version === 0 ? 'no backup yet' : `version ${r.version} held by ${r.routers} router(s)`;
      lines.push(`Contacts: ${restored}${state}`);
    }
    lines.push(`Outbox:   ${s.outboxPending} message(s) waiting`);
    const online = s.peers.filter((p) => p.link !== 'none');
    lines.push(`Peers:    ${online.length} connected of ${s.peers.length} friend(s)`);
    for (const p of s.peers) {
      const rtt = p.rttMs === null ? '' : `, ${Math.round(p.rttMs)} ms`;
      const at = p.endpoint ? ` at ${p.endpoint.host}:${p.endpoint.port}` : '';
      lines.push(`  ${contactLabel(p)}: ${p.link}${at}${rtt}`);
      if (p.reason) lines.push(`    why: ${oneLine(p.reason)}`);
    }
  }
  return lines.join('\n');
}
