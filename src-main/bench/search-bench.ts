/**
 * @module bench/search-bench
 * Full-text search (issue 13 item 3; SQLite FTS5 https://www.sqlite.org/fts5.html): builds
 * 1,000,000 messages (50,000 with `--quick`) across 50 friends in a temporary encrypted store
 * through the real repositories (so the FTS5 triggers index every row), in transactions of
 * 10,000. The text is drawn from a fixed, seeded vocabulary of 20,000 words with Zipf
 * frequencies (s = 1.07, like natural language), 2–24 words a message.
 *
 * Then ≥ 200 queries of 1–3 words drawn with the same frequencies (so frequent words are
 * common, the costly case), half with the last word cut to a 3+ letter prefix as while typing,
 * a quarter limited to one conversation — each a whole `store.search` page of 20 results with
 * snippets. Baseline in the same run: `text LIKE '%word%'` for the same words over the 50,000
 * oldest rows. Also the build rate and the index size next to the stored text size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../core/base';
import { addressOf, generatePrivateKey, publicKeyOf, randomBytes } from '../core/crypto';
import { openStore } from '../core/store';
import { percentile, type Row } from './stats';

const VOCAB = 20_000;
const ZIPF_S = 1.07;
const FRIENDS = 50;
const BATCH = 10_000;
const QUERIES = 300;
const LIKE_ROWS = 50_000;
const TARGET_P95_MS = 50;


const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'so', 'vi', 'de', 'po', 'an', 'el', 'or', 'us', 'ir', 'ba', 'ce', 'fu', 'gi', 'ho', 'ja', 'zé', 'ñu', 'wö'];

function vocabulary(rand: () => number): string[] {
  const words = new Set<string>();
  while (words.size < VOCAB) {
    const n = 1 + Math.floor(rand() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Sampler of word ranks with P(rank k) ∝ 1 / k^s. */
function zipf(rand: () => number): () => number {
  const cdf = new Float64Array(VOCAB);
  let sum = 0;
  for (let k = 0; k < VOCAB; k++) cdf[k] = sum += 1 / Math.pow(k + 1, ZIPF_S);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = VOCAB - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const fmtMs = (x: number): string => `${x.toFixed(2)} ms`;
const fmtMB = (b: number): string => `${(b / 1e6).toFixed(1)} MB`;

export async function searchRows(quick: boolean, log: (line: string) => void = () => {}): Promise<Row[]> {
  const total = quick ? 50_000 : 1_000_000;
  const rand = prng(13);
  const words = vocabulary(rand);
  const rank = zipf(rand);
  const dir = mkdtempSync(join(tmpdir(), 'bu-search-bench-'));
  const store = openStore(join(dir, 'bu.db'), randomBytes(32));
  try {
    const friends = Array.from({ length: FRIENDS }, (_, i) => {
      const publicKey = publicKeyOf(generatePrivateKey());
      const address = addressOf(publicKey);
      store.contacts.upsert({ address, publicKey, name: `friend ${i}`, state: 'friend' });
      return address;
    });
    let textBytes = 0;
    const t0 = process.hrtime.bigint();
    for (let done = 0; done < total; ) {
      const n = Math.min(BATCH, total - done);
      store.tx(() => {
        for (let i = 0; i < n; i++) {
          const k = done + i;
          const len = 2 + Math.floor(rand() * 23);
          const parts: string[] = [];
          for (let j = 0; j < len; j++) parts.push(words[rank()]!);
          const text = parts.join(' ');
          textBytes += Buffer.byteLength(text);
          const m = { id: (k + 1).toString(16).padStart(32, '0'), peer: friends[k % FRIENDS]!, text, sentAt: k, localAt: 1_700_000_000_000 + k };
          if (k % 2) store.messages.insertOutgoing(m);
          else store.messages.insertIncoming(m);
        }
      });
      done += n;
      if (done % 100_000 === 0) log(`search: ${done.toLocaleString('en')} messages stored`);
    }
    const buildMs = ms(t0);
    store.db.pragma('wal_checkpoint(TRUNCATE)');

    // The queries: 1–3 words with text frequencies; half end in a typed prefix; a quarter per friend.
    const queries = Array.from({ length: QUERIES }, () => {
      const terms = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => words[rank()]!);
      const last = terms[terms.length - 1]!;
      if (rand() < 0.5 && last.length > 3) terms[terms.length - 1] = last.slice(0, 3 + Math.floor(rand() * (last.length - 3)));
      return { text: terms.join(' '), terms, peer: rand() < 0.25 ? friends[Math.floor(rand() * FRIENDS)] : undefined };
    });
    for (const q of queries.slice(0, 20)) store.search(q.text, { limit: 20, peer: q.peer }); // warm the page cache
    const fts: number[] = [];
    let found = 0;
    for (const q of queries) {
      const s = process.hrtime.bigint();
      found += store.search(q.text, { limit: 20, peer: q.peer }).hits.length;
      fts.push(ms(s));
    }
    const likeSql = (n: number) =>
      `SELECT seq FROM messages WHERE seq <= ${LIKE_ROWS} AND ${Array.from({ length: n }, () => 'text LIKE ?').join(' AND ')} ORDER BY seq DESC LIMIT 20`;
    const like: number[] = [];
    for (const q of queries) {
      const stmt = store.db.prepare(likeSql(q.terms.length));
      const s = process.hrtime.bigint();
      stmt.all(...q.terms.map((t) => `%${t}%`));
      like.push(ms(s));
    }
    const pages = (store.db.prepare("SELECT sum(length(block)) AS b FROM messages_fts_data").get() as { b: number }).b;
    const docsize = (store.db.prepare('SELECT sum(length(sz)) AS b FROM messages_fts_docsize').get() as { b: number }).b;
    const idx = (store.db.prepare('SELECT count(*) AS n FROM messages_fts_idx').get() as { n: number }).n;
    const fileBytes = statSync(join(dir, 'bu.db')).size;
    fts.sort((a, b) => a - b);
    like.sort((a, b) => a - b);
    const p95 = percentile(fts, 95);
    const who = `${total.toLocaleString('en')} messages`;
    return [
      {
        figure: `search p50 / p95 / p99 (${QUERIES} queries, 20 results + snippets, ${who})`,
        value: `${fmtMs(percentile(fts, 50))} / ${fmtMs(p95)} / ${fmtMs(percentile(fts, 99))}`,
        baseline: `LIKE '%w%' on ${LIKE_ROWS.toLocaleString('en')} rows: ${fmtMs(percentile(like, 50))} / ${fmtMs(percentile(like, 95))} / ${fmtMs(percentile(like, 99))}`,
        ratio: `${(percentile(like, 95) / p95).toFixed(1)}× faster at p95`,
        target: `p95 ≤ ${TARGET_P95_MS} ms`,
        ok: p95 <= TARGET_P95_MS,
      },
      { figure: 'search results per query (mean)', value: (found / QUERIES).toFixed(1), baseline: '', ratio: '' },
      {
        figure: 'search index size (FTS5 segments + docsize)',
        value: fmtMB(pages + docsize) + ` (${idx.toLocaleString('en')} idx rows)`,
        baseline: `message text ${fmtMB(textBytes)}; database file ${fmtMB(fileBytes)}`,
        ratio: `${((pages + docsize) / textBytes).toFixed(2)}× the text`,
      },
      { figure: `search corpus build (${who}, indexed by the triggers)`, value: `${Math.round(total / (buildMs / 1000)).toLocaleString('en')} msg/s`, baseline: '', ratio: '' },
    ];
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
