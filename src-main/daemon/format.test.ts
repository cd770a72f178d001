import { describe, expect, it } from 'vitest';
import type { ContactT, MessageT, NodeStatusT } from '../../src-preload/contract';
import { fakeContact } from '../bridge/fake-node';
import { formatContacts, formatError, formatMessage, formatStatus, formatTime, oneLine, safeText, shellQuote, table } from './format';

const A = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';

describe('format', () => {
  it('strips terminal control sequences from peer-chosen text', () => {
    expect(safeText('hi\u001b[2J\u001b]0;pwned\u0007 there\r\nnext\tcol')).toBe('hi[2J]0;pwned there\nnext\tcol');
    expect(safeText('bidi\u202eevil')).toBe('bidievil');
    expect(oneLine(' a\n\nb\tc ')).toBe('a b c');
  });

  it('formats errors as one line with the sentence and the detail', () => {
    expect(formatError('WRONG_PASSWORD', 'vault auth failed')).toBe('error: That password is not correct. (vault auth failed)');
    expect(formatError('LOCKED', 'Your account is locked. Unlock it with your password first.')).toBe(
      'error: Your account is locked. Unlock it with your password first.',
    );
    expect(formatError('SOMETHING_NEW', 'x\ny')).toBe('error: Something went wrong inside the node. (x y)');
    expect(formatError('NOT_RUNNING')).toBe('error: No BitUnicom node is running for this profile.');
  });

  it('quotes paths for the shell only when needed', () => {
    expect(shellQuote('/home/ann/.config/BitUnicom')).toBe('/home/ann/.config/BitUnicom');
    expect(shellQuote('/tmp/my profile')).toBe("'/tmp/my profile'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('prints contacts as an aligned table', () => {
    const bob: ContactT = { ...fakeContact(A, 'Bob\u001b[31m'), unread: 2, online: true, lastMessage: { text: 'see you\nsoon', at: 1, direction: 'in' } };
    const ann = fakeContact('0x' + '2'.repeat(40), 'Ann', 'pending_in');
    const lines = formatContacts([bob, ann]).split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ADDRESS\s+STATE\s+ONLINE\s+UNREAD\s+LAST MESSAGE$/);
    expect(lines[1]).toMatch(new RegExp(`^Bob\\[31m\\s+${A}\\s+friend\\s+yes\\s+2\\s+see you soon$`));
    expect(lines[2]).toMatch(/^Ann\s+0x2{40}\s+wants to connect\s+no\s+0$/);
    expect(lines[1]!.indexOf(A)).toBe(lines[2]!.indexOf('0x22'));
    expect(formatContacts([])).toContain('No contacts yet');
    expect(table(['A', 'B'], [['xx', 'y']])).toBe('A   B\nxx  y');
  });

  it('prints a message with time, direction, state and indented text', () => {
    const m: MessageT = { id: '01', peer: A, direction: 'out', text: 'line one\nline two', state: 'delivered', sentAt: new Date(2024, 4, 1, 9, 5, 7).getTime(), localAt: 0, seq: 1, payment: null };
    expect(formatTime(m.sentAt)).toBe('2024-05-01 09:05:07');
    expect(formatMessage(m, 'Bob')).toBe('2024-05-01 09:05:07  you → Bob  [delivered]\n    line one\n    line two');
    expect(formatMessage({ ...m, direction: 'in', state: 'received' }, 'Bob')).toContain('Bob → you  [received]');
    expect(formatMessage({ ...m, state: 'failed' }, 'Bob')).toContain('[FAILED]');
  });

  it('prints node status with peers and the UI link', () => {
    const s: NodeStatusT = {
      phase: 'unlocked',
      address: A,
      name: 'Me',
      listen: { host: '0.0.0.0', port: 40404 },
      peers: [{ address: A, name: 'Bob', link: 'direct', rttMs: 12.4, endpoint: { host: '10.0.0.2', port: 5000 }, lastSeenAt: 1 }],
      uptimeMs: 1000,
      outboxPending: 3,
      nat: { type: 'cone', mapped: { host: '198.51.100.7', port: 40404 } },
      routers: [{ address: A, endpoint: { host: '203.0.113.1', port: 7000 }, rttMs: 20 }],
      dhtNodes: 42,
      version: '1.2.3',
      rpcUrl: null,
      chain: null,
    };
    const text = formatStatus(s, { pid: 42, ui: 'http://127.0.0.1:1/?token=t', startedAt: Date.now() - 65_000 });
    expect(text).toContain('UDP:      0.0.0.0:40404');
    expect(text).toContain('Node:     pid 42, up 1m 5s, version 1.2.3');
    expect(text).toContain('UI:       http://127.0.0.1:1/?token=t');
    expect(text).toContain('Outbox:   3 message(s) waiting');
    expect(text).toContain('NAT:      cone (seen as 198.51.100.7:40404)');
    expect(text).toContain('Routers:  203.0.113.1:7000 (20 ms)');
    expect(text).toContain(`  Bob (${A}): direct at 10.0.0.2:5000, 12 ms`);
    expect(formatStatus({ ...s, phase: 'locked', listen: null, peers: [] })).toContain('UDP:      not listening');
  });
});
