/**
 * @module renderer/lib/mnemonic
 * BIP-39 recovery phrases in the renderer (BIP-39: https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki).
 * The phrase for a new account is generated here, with the browser's CSPRNG through
 * `@scure/bip39` (audited, tiny, already used by the core), shown once and sent to the node
 * only in `account.create`. `checkPhrase` gives live feedback while a user types a phrase
 * to import: word count, unknown words, checksum.
 */
import { generateMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export const PHRASE_LENGTHS = [12, 15, 18, 21, 24] as const;
const WORDS = new Set(wordlist);

/** A new 12-word (128-bit) English phrase. */
export function newMnemonic(): string {
  return generateMnemonic(wordlist, 128);
}

/** NFKD, lower case, single spaces: what BIP-39 hashes. */
export function splitWords(input: string): string[] {
  return input.normalize('NFKD').toLowerCase().split(/\s+/).filter(Boolean);
}

export function normalizePhrase(input: string): string {
  return splitWords(input).join(' ');
}

export type PhraseCheck = {
  status: 'empty' | 'typing' | 'unknown-words' | 'bad-length' | 'bad-checksum' | 'valid';
  words: string[];
  unknown: string[];
  message: string;
};

export function isBip39Word(word: string): boolean {
  return WORDS.has(word);
}

function isPrefixOfWord(part: string): boolean {
  return wordlist.some((w) => w.startsWith(part));
}

export function checkPhrase(input: string): PhraseCheck {
  const words = splitWords(input);
  if (words.length === 0) return { status: 'empty', words, unknown: [], message: 'Enter your 12 or 24 words, separated by spaces.' };
  const stillTyping = !/\s$/.test(input);
  const unknown = words.filter((w, i) => {
    if (WORDS.has(w)) return false;
    const isLast = i === words.length - 1;
    return !(isLast && stillTyping && isPrefixOfWord(w));
  });
  if (unknown.length > 0) {
    const list = unknown.slice(0, 3).map((w) => `“${w}”`).join(', ');
    return {
      status: 'unknown-words',
      words,
      unknown,
      message: `${unknown.length === 1 ? 'This word is' : 'These words are'} not in the recovery word list: ${list}${unknown.length > 3 ? '…' : ''}.`,
    };
  }
  const n = words.length;
  const allowed = PHRASE_LENGTHS as readonly number[];
  if (!allowed.includes(n)) {
    const status = n < 24 ? 'typing' : 'bad-length';
    if (n < 12) return { status, words, unknown, message: `${n} of 12 words.` };
    return { status, words, unknown, message: `${n} words — a recovery phrase has 12, 15, 18, 21 or 24 words.` };
  }
  if (!validateMnemonic(words.join(' '), wordlist)) {
    return { status: 'bad-checksum', words, unknown, message: `${n} words, but they don't form a valid phrase. Check the order and spelling.` };
  }
  return { status: 'valid', words, unknown, message: `${n} words — valid recovery phrase.` };
}

/** `count` distinct 1-based positions in `1..total`, ascending, from the CSPRNG. */
export function pickPositions(count: number, total: number, random: (n: number) => number = secureRandomInt): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, total)) picked.add(random(total) + 1);
  return [...picked].sort((a, b) => a - b);
}

function secureRandomInt(n: number): number {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / n) * n; // rejection sampling: no modulo bias
  do crypto.getRandomValues(buf);
  while ((buf[0] ?? 0) >= limit);
  return (buf[0] ?? 0) % n;
}
