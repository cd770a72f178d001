import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ftsQuery, MARK_CLOSE, MARK_OPEN, queryTerms, WINDOW } from './search';
import { code, msgId, tempStore, twoFriends, type TempStore } from './test-util';

let t: TempStore;
let peer: string;
let other: string;
let n = 0;
beforeEach(() => {
  t = tempStore();
  ({ peer, other } = twoFriends(t.store));
  n = 0;
});
afterEach(() => t.cleanup());

function say(text: string, to = peer, out = false): string {
  const id = msgId(++n);
  const m = { id, peer: to, text, sentAt: n, localAt: n };
  if (out) t.store.messages.insertOutgoing(m);
  else t.store.messages.insertIncoming(m);
  return id;
}
const ids = (q: string, opts = {}) => t.store.search(q, opts).hits.map((h) => h.id);
const marked = (s: string) => s.replaceAll(MARK_OPEN, '[').replaceAll(MARK_CLOSE, ']');

describe('query building', () => {
  it('turns words into quoted prefix phrases on the body column; no FTS5 syntax passes through', () => {
    expect(ftsQuery('hello World')).toBe('body : "hello" * AND body : "World" *');
    expect(ftsQuery('"a" OR b* NEAR(c) peer:x -d ^e')).toBe(
      'body : "a" * AND body : "OR" * AND body : "b" * AND body : "NEAR" * AND body : "c" * AND body : "peer" * AND body : "x" * AND body : "d" *',
    );
    expect(ftsQuery('  \t\n ')).toBeNull();
    expect(ftsQuery('"*():^-')).toBeNull();
    expect(ftsQuery('café', '0x' + 'ab'.repeat(20))).toBe(`(body : "café" *) AND peer : "0x${'ab'.repeat(20)}"`);
    expect(queryTerms('a a b')).toEqual(['a', 'b']);
  });
});

describe('store.search', () => {
  it('finds words case- and accent-insensitively in any script, with marked snippets', () => {
    const cafe = say('Meet me at the Café Noir tomorrow');
    const greek = say('Καλημέρα φίλε');
    const ru = say('Привет, как дела?');
    say('nothing to see');
    expect(ids('cafe')).toEqual([cafe]);
    expect(ids('CAFÉ noir')).toEqual([cafe]);
    expect(ids('ΚΑΛΗΜΈΡΑ')).toEqual([greek]); // case folds in every script; accents fold for Latin letters
    expect(ids('Ärger naïve')).toEqual([]);
    const de = say('kein Ärger, nur naïve Fragen');
    expect(ids('arger naive')).toEqual([de]);
    expect(ids('привет')).toEqual([ru]);
    const hit = t.store.search('cafe')!.hits[0]!;
    expect(marked(hit.snippet)).toBe('Meet me at the [Café] Noir tomorrow');
    expect(hit).toMatchObject({ peer, seq: expect.any(Number), at: 1, direction: 'in' });
  });

  it('matches every word as a prefix, all words required', () => {
    const a = say('the deployment finished');
    const b = say('deploy it again');
    say('finished lunch');
    expect(ids('depl').sort()).toEqual([a, b].sort());
    expect(ids('depl fin')).toEqual([a]);
    expect(ids('deployment x')).toEqual([]);
  });

  it('treats quotes, operators and punctuation in the query as plain words', () => {
    const a = say('He said "OR" and NEAR, not AND');
    say('unrelated');
    expect(ids('"OR"')).toEqual([a]);
    expect(ids('NEAR(')).toEqual([a]);
    expect(ids('* OR unrelated')).toEqual([]); // OR is a word here, not an operator
    expect(ids('body:said')).toEqual([]); // "body" is a word, not a column filter
    expect(ids('said "')).toEqual([a]);
    expect(t.store.search('   ')).toEqual({ hits: [], next: null });
    expect(t.store.search('"*^-')).toEqual({ hits: [], next: null });
    expect(code(() => t.store.search('x'.repeat(1001)))).toBe('BAD_INPUT');
    expect(code(() => t.store.search('x', { limit: 101 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.search('x', { limit: 0 }))).toBe('BAD_INPUT');
    expect(code(() => t.store.search('x', { before: 'nope' }))).toBe('BAD_INPUT');
  });

  it('ranks by bm25, then newest first', () => {
    const weak = say('apple in a long sentence with many other words around it here');
    const strong = say('apple apple');
    const newerWeak = say('apple in a long sentence with many other words around it here');
    expect(ids('apple')).toEqual([strong, newerWeak, weak]);
  });

  it('follows edits and deletions (triggers), and never indexes calls', () => {
    const id = say('original wording');
    expect(ids('original')).toEqual([id]);
    t.store.db.prepare("UPDATE messages SET text = 'edited wording' WHERE id = ?").run(id);
    expect(ids('original')).toEqual([]);
    expect(marked(t.store.search('edited').hits[0]!.snippet)).toBe('[edited] wording');
    t.store.db.prepare('DELETE FROM messages WHERE id = ?').run(id);
    expect(ids('wording')).toEqual([]);
    t.store.messages.insertCall({ id: msgId(99), peer, direction: 'out', text: 'Outgoing call wording', at: 5, call: { id: 'c1' } });
    expect(ids('call')).toEqual([]);
    say('still wording');
    t.store.db.prepare('DELETE FROM contacts').run(); // cascades to the messages
    expect(ids('wording')).toEqual([]);
    t.store.db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run(); // throws if the index disagrees
  });

  it('indexes a payment by its note only, and keeps it through status updates', () => {
    const id = msgId(50);
    t.store.messages.insertIncoming({ id, peer, text: 'You received 1 ETH', sentAt: 1, localAt: 1, kind: 'payment', payment: { note: 'rent for March', status: 'pending' } });
    t.store.messages.insertIncoming({ id: msgId(51), peer, text: 'You received 2 ETH', sentAt: 1, localAt: 1, kind: 'payment', payment: { note: null, status: 'pending' } });
    expect(ids('rent march')).toEqual([id]);
    expect(ids('received')).toEqual([]);
    t.store.messages.setPayment(peer, id, { note: 'rent for March', status: 'confirmed' });
    expect(ids('rent')).toEqual([id]);
    t.store.db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run(); // throws if the index disagrees
  });

  it('filters by conversation', () => {
    const mine = say('shared word', peer);
    const theirs = say('shared word', other, true);
    expect(ids('shared').sort()).toEqual([mine, theirs].sort());
    expect(ids('shared', { peer })).toEqual([mine]);
    expect(t.store.search('shared', { peer: other }).hits[0]).toMatchObject({ id: theirs, direction: 'out' });
    expect(ids(peer.slice(2, 10))).toEqual([]); // the peer column is not searched as text
    expect(code(() => t.store.search('shared', { peer: 'nope' }))).toBe('BAD_INPUT');
  });

  it('pages through every match exactly once, across windows', () => {
    const all = new Set<string>();
    t.store.tx(() => {
      for (let i = 0; i < WINDOW + 150; i++) all.add(say(i % 7 === 0 ? 'needle needle' : `needle number ${i}`));
    });
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = t.store.search('needle', { limit: 100, before });
      seen.push(...page.hits.map((h) => h.id));
      before = page.next ?? undefined;
      pages++;
    } while (before);
    expect(pages).toBe(12);
    expect(seen.length).toBe(all.size);
    expect(new Set(seen)).toEqual(all);
    // The first page starts with the strongest (repeated-word) matches, newest first.
    const first = t.store.search('needle', { limit: 3 }).hits;
    expect(first.map((h) => marked(h.snippet))).toEqual(['[needle] [needle]', '[needle] [needle]', '[needle] [needle]']);
    expect(first[0]!.seq).toBeGreaterThan(first[1]!.seq);
  });
});
