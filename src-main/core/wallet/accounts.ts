/**
 * @module wallet/accounts
 * The wallet's accounts: HD accounts on BIP-44 m/44'/60'/0'/0/i (BIP-32/39/44, SLIP-44 coin 60,
 * so MetaMask, ethers and anvil derive the same addresses from the same phrase), imported keys
 * (raw or Web3 Secret Storage v3), and watch-only addresses. Addresses are EIP-55 checksummed.
 *
 * Account 0 is the profile's own key: HD index 0 for a recovery-phrase profile, or the one key of
 * a key-only profile (listed as 'imported', not removable, and such a profile cannot add() HD
 * accounts). Names and hidden flags live in a JSON file, replaced atomically (tmp 0600 + fsync +
 * rename):
 *   { version: 1, owner: <account 0>, keyCheck, accounts: [
 *       { kind: 'hd', index, address, name, hidden } | { kind: 'key', address, name, hidden }
 *     | { kind: 'imported', address, name, hidden, iv, ciphertext } | { kind: 'watch', address, name, hidden } ] }
 * HD keys are never written: they are re-derived at open and checked against the stored
 * addresses. Imported keys are stored encrypted under the vault's `dbKey` (see account-keys.ts).
 *
 * IMPORTANT: imported keys are NOT restored by the recovery phrase. They exist only in this file
 * (sealed under this profile's vault key); a user who loses the profile keeps the HD accounts
 * but must have backed up each imported key (exportKeystore) separately.
 */
import { BuError } from '../base';
import { parseAddress } from './address';
import {
  MIN_PASSWORD_LENGTH,
  decryptKeystoreV3,
  deriveIdentity,
  encryptKeystoreV3,
  identityFromPrivateKey,
  mnemonicToSeed,
  walletAccountPath,
  type VaultSecret,
} from '../account';
import {
  WATCH_ONLY_CODE,
  damaged,
  importsKey,
  keyCheck,
  makeSigner,
  openKey,
  parsePrivateKey,
  parseWrapKey,
  readWalletFile,
  sealKey,
  writeFileAtomic,
  type Entry,
  type WalletFile,
  type WalletSigner,
} from './account-keys';

export type WalletAccountKind = 'hd' | 'imported' | 'watch';

export type WalletAccount = {
  /** EIP-55 checksummed. */
  address: string;
  name: string;
  kind: WalletAccountKind;
  /** BIP-44 address index, HD accounts only. */
  index?: number;
  hidden: boolean;
  /** Imported and watch accounts can be removed; HD accounts and the profile key can only be hidden. */
  removable: boolean;
};

export type WalletOpenOptions = { file: string; secret: VaultSecret; wrapKey: Uint8Array };

export const MAX_WALLET_ACCOUNTS = 1000;
const MAX_NAME = 32;
const MAX_KEYSTORE_JSON = 64 * 1024;

function cleanName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  const len = [...n].length;
  if (len < 1 || len > MAX_NAME || /\p{Cc}/u.test(n)) {
    throw new BuError('BAD_INPUT', `An account name is 1 to ${MAX_NAME} characters, without control characters.`);
  }
  return n;
}

export class WalletAccounts {
  private readonly keys = new Map<string, Uint8Array>();
  private readonly sealing: Uint8Array;
  private readonly check: string;
  private closed = false;

  private constructor(
    readonly file: string,
    private seed: Uint8Array | null,
    wrapKey: Uint8Array,
    private entries: Entry[],
  ) {
    this.sealing = importsKey(wrapKey);
    this.check = keyCheck(wrapKey);
  }

  /**
   * Opens (or creates, with account 0 only) the wallet file of an unlocked vault. BAD_KEYSTORE if
   * the file is damaged, belongs to another account, was written under another wrap key, or an
   * imported key fails its integrity check; BAD_MNEMONIC / BAD_INPUT for a bad secret.
   */
  static async open(opts: WalletOpenOptions): Promise<WalletAccounts> {
    if (typeof opts !== 'object' || opts === null || typeof opts.file !== 'string' || opts.file === '') {
      throw new BuError('BAD_INPUT', 'Opening the wallet needs a file path, the vault secret and a wrap key.');
    }
    const wrapKey = parseWrapKey(opts.wrapKey);
    const secret = opts.secret;
    let seed: Uint8Array | null = null;
    let primary: { privateKey: Uint8Array; address: string };
    if (secret?.kind === 'mnemonic') {
      seed = mnemonicToSeed(secret.mnemonic);
      primary = deriveIdentity(seed, walletAccountPath(0));
    } else if (secret?.kind === 'key') {
      primary = identityFromPrivateKey(secret.privateKey);
    } else {
      throw new BuError('BAD_INPUT', "The vault secret must be { kind: 'mnemonic' } or { kind: 'key' }.");
    }
    const first: Entry = seed
      ? { kind: 'hd', index: 0, address: primary.address, name: 'Account 1', hidden: false }
      : { kind: 'key', address: primary.address, name: 'Account 1', hidden: false };
    const doc = readWalletFile(opts.file);
    let entries: Entry[] = [first];
    if (doc) {
      if (doc.owner !== primary.address) {
        throw new BuError('BAD_KEYSTORE', `The wallet file belongs to account ${doc.owner}, not to ${primary.address}.`);
      }
      if (doc.keyCheck !== keyCheck(wrapKey)) {
        throw new BuError('BAD_KEYSTORE', 'The wallet file was sealed under a different key, so its imported keys cannot be decrypted.');
      }
      const head = doc.accounts[0];
      if (!head || head.kind !== first.kind || head.address !== first.address || (head.kind === 'hd' && head.index !== 0)) {
        damaged(opts.file, 'account 0 is not the profile key');
      }
      entries = doc.accounts;
    }
    const w = new WalletAccounts(opts.file, seed, wrapKey, entries);
    w.keys.set(primary.address, primary.privateKey);
    for (const e of entries.slice(1)) w.loadKey(e);
    if (!doc) w.commit(entries);
    return w;
  }

  private loadKey(e: Entry): void {
    if (e.kind === 'hd') {
      if (!this.seed) damaged(this.file, 'a key-only profile cannot have HD accounts');
      const id = deriveIdentity(this.seed, walletAccountPath(e.index));
      if (id.address !== e.address) {
        throw new BuError('BAD_KEYSTORE', `HD account ${e.index} should be ${id.address} but the wallet file says ${e.address}.`);
      }
      this.keys.set(e.address, id.privateKey);
    } else if (e.kind === 'imported') {
      this.keys.set(e.address, openKey(this.sealing, e.address, e));
    } else if (e.kind === 'key') {
      damaged(this.file, 'only account 0 can be the profile key');
    }
  }

  private live(): void {
    if (this.closed) throw new BuError('LOCKED', 'The wallet is closed. Unlock the account again.');
  }

  private commit(next: Entry[]): void {
    const doc: WalletFile = { version: 1, owner: next[0]!.address, keyCheck: this.check, accounts: next };
    writeFileAtomic(this.file, JSON.stringify(doc, null, 2) + '\n');
    this.entries = next;
  }

  private find(address: string): Entry {
    this.live();
    const a = parseAddress(address);
    const e = this.entries.find((x) => x.address === a);
    if (!e) throw new BuError('NOT_FOUND', `${a} is not an account of this wallet.`);
    return e;
  }

  private update(address: string, change: (e: Entry) => Entry): WalletAccount {
    const e = this.find(address);
    const next = change(e);
    this.commit(this.entries.map((x) => (x === e ? next : x)));
    return view(next);
  }

  private checkRoom(address: string): void {
    const dup = this.entries.find((x) => x.address === address);
    if (dup) throw new BuError('ACCOUNT_EXISTS', `${address} is already in this wallet, as "${dup.name}".`);
    if (this.entries.length >= MAX_WALLET_ACCOUNTS) throw new BuError('BAD_INPUT', `A wallet holds at most ${MAX_WALLET_ACCOUNTS} accounts.`);
  }

  private defaultName(kind: 'imported' | 'watch'): string {
    const prefix = kind === 'imported' ? 'Imported' : 'Watched';
    let n = this.entries.filter((e) => e.kind === kind).length + 1;
    while (this.entries.some((e) => e.name === `${prefix} ${n}`)) n++;
    return `${prefix} ${n}`;
  }

  /** Every account, account 0 first, then in the order they were added. */
  list(): WalletAccount[] {
    this.live();
    return this.entries.map(view);
  }

  /**
   * Derives the next HD account (highest index + 1). An imported or watch entry with the same
   * address becomes that HD account, keeping its name and hidden flag.
   */
  add(name?: string): WalletAccount {
    this.live();
    if (!this.seed) throw new BuError('BAD_INPUT', 'This profile was created from a single key, so it has no recovery phrase to derive more accounts from.');
    const index = Math.max(...this.entries.map((e) => (e.kind === 'hd' ? e.index : 0))) + 1;
    const id = deriveIdentity(this.seed, walletAccountPath(index));
    const label = name === undefined ? `Account ${index + 1}` : cleanName(name);
    const old = this.entries.find((e) => e.address === id.address);
    if (!old && this.entries.length >= MAX_WALLET_ACCOUNTS) throw new BuError('BAD_INPUT', `A wallet holds at most ${MAX_WALLET_ACCOUNTS} accounts.`);
    const entry: Entry = { kind: 'hd', index, address: id.address, name: old && name === undefined ? old.name : label, hidden: old?.hidden ?? false };
    this.commit(old ? this.entries.map((e) => (e === old ? entry : e)) : [...this.entries, entry]);
    this.keys.get(id.address)?.fill(0);
    this.keys.set(id.address, id.privateKey);
    return view(entry);
  }

  /** Renames an account: 1–32 characters once trimmed. */
  rename(address: string, name: string): WalletAccount {
    const n = cleanName(name);
    return this.update(address, (e) => ({ ...e, name: n }));
  }

  /** Hides or shows an account in the UI (it keeps its key and can still sign); the last visible one cannot be hidden. */
  setHidden(address: string, hidden: boolean): WalletAccount {
    if (typeof hidden !== 'boolean') throw new BuError('BAD_INPUT', 'hidden must be true or false.');
    return this.update(address, (e) => {
      if (hidden && !e.hidden && this.entries.filter((x) => !x.hidden).length === 1) {
        throw new BuError('BAD_INPUT', 'At least one account must stay visible.');
      }
      return { ...e, hidden };
    });
  }

  /** Removes an imported or watch account (its stored key is erased); HD accounts and the profile key can only be hidden. */
  remove(address: string): void {
    const e = this.find(address);
    if (e.kind !== 'imported' && e.kind !== 'watch') {
      throw new BuError('BAD_INPUT', 'Accounts of the recovery phrase and the profile key cannot be removed, only hidden.');
    }
    if (!e.hidden && this.entries.filter((x) => !x.hidden).length === 1) {
      throw new BuError('BAD_INPUT', 'Show another account before removing the last visible one.');
    }
    this.commit(this.entries.filter((x) => x !== e));
    this.keys.get(e.address)?.fill(0);
    this.keys.delete(e.address);
  }

  /** Imports a raw private key (64 hex digits). Not covered by the recovery phrase: back it up separately. */
  importPrivateKey(hex: string, name?: string): WalletAccount {
    this.live();
    return this.importRaw(parsePrivateKey(hex), name);
  }

  /** Imports a Web3 Secret Storage v3 keystore: WRONG_PASSWORD or BAD_KEYSTORE from its decryption. */
  async importKeystore(json: string, password: string, name?: string): Promise<WalletAccount> {
    this.live();
    if (typeof json !== 'string' || json.length > MAX_KEYSTORE_JSON) throw new BuError('BAD_KEYSTORE', 'That is not a keystore file.');
    if (typeof password !== 'string') throw new BuError('BAD_INPUT', 'The keystore password must be text.');
    if (name !== undefined) cleanName(name);
    const key = await decryptKeystoreV3(json, password);
    this.live();
    return this.importRaw(key, name);
  }

  private importRaw(key: Uint8Array, name?: string): WalletAccount {
    const label = name === undefined ? this.defaultName('imported') : cleanName(name);
    const { address, privateKey } = identityFromPrivateKey(key);
    key.fill(0);
    try {
      this.checkRoom(address);
      const entry: Entry = { kind: 'imported', address, name: label, hidden: false, ...sealKey(this.sealing, address, privateKey) };
      this.commit([...this.entries, entry]);
      this.keys.set(address, privateKey);
      return view(entry);
    } catch (err) {
      privateKey.fill(0);
      throw err;
    }
  }

  /** Adds an address to watch (balances, history) without any key: it can neither sign nor be exported. */
  addWatch(address: string, name?: string): WalletAccount {
    this.live();
    const a = parseAddress(address);
    if (/^0x0{40}$/.test(a)) throw new BuError('BAD_INPUT', 'The zero address cannot be watched.');
    const label = name === undefined ? this.defaultName('watch') : cleanName(name);
    this.checkRoom(a);
    const entry: Entry = { kind: 'watch', address: a, name: label, hidden: false };
    this.commit([...this.entries, entry]);
    return view(entry);
  }

  /**
   * The account's key as a Web3 Secret Storage v3 JSON (scrypt, n = 2^17 unless `scryptN` is
   * given, a power of two). WATCH_ONLY_CODE for watch accounts; WEAK_PASSWORD under 8 characters.
   */
  async exportKeystore(address: string, password: string, opts: { scryptN?: number } = {}): Promise<string> {
    const e = this.find(address);
    if (e.kind === 'watch') throw new BuError(WATCH_ONLY_CODE, `${e.address} is watch-only: there is no key to export.`);
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      throw new BuError('WEAK_PASSWORD', `Choose a keystore password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    const key = new Uint8Array(this.keyOf(e.address));
    try {
      return await encryptKeystoreV3(key, password, { n: opts.scryptN });
    } finally {
      key.fill(0);
    }
  }

  /** A handle that signs with the account's key without revealing it; WATCH_ONLY_CODE for watch accounts. */
  signer(address: string): WalletSigner {
    const e = this.find(address);
    if (e.kind === 'watch') throw new BuError(WATCH_ONLY_CODE, `${e.address} is watch-only: it cannot sign.`);
    return makeSigner(e.address, () => this.keyOf(e.address));
  }

  private keyOf(address: string): Uint8Array {
    this.live();
    const k = this.keys.get(address);
    if (!k) throw new BuError('NOT_FOUND', `${address} is no longer an account of this wallet.`);
    return k;
  }

  /** Wipes every key from memory; the wallet and its signers refuse to work afterwards (LOCKED). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const k of this.keys.values()) k.fill(0);
    this.keys.clear();
    this.seed?.fill(0);
    this.seed = null;
    this.sealing.fill(0);
  }
}

function view(e: Entry): WalletAccount {
  const kind: WalletAccountKind = e.kind === 'key' ? 'imported' : e.kind;
  const out: WalletAccount = { address: e.address, name: e.name, kind, hidden: e.hidden, removable: e.kind === 'imported' || e.kind === 'watch' };
  if (e.kind === 'hd') out.index = e.index;
  return out;
}
