/**
 * @module chat/test-peers
 * Test fixture: a ChatService on a real 127.0.0.1 UDP socket with real sessions and its own
 * encrypted store, that can stop and come back (same key, same database, same port), and an
 * optional wallet whose proof goes into its profile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, type HDNodeWallet } from 'ethers';
import { waitFor, type Logger } from '../base';
import { identityFromPrivateKey, type Identity } from '../account';
import { generatePrivateKey, randomBytes } from '../crypto';
import { UdpSocket } from '../net';
import { SessionManager } from '../session';
import { openStore, type Store } from '../store';
import { ChatService } from './chat-service';
import type { MailboxPort } from './mailbox';
import { walletProofText } from './wallet-proof';

export type ProfileWallet = { address: string; proof: string } | null;

export class TestPeer {
  chat!: ChatService;
  store!: Store;
  private socket!: UdpSocket;
  private sessions!: SessionManager;
  readonly warnings: string[] = [];
  /** What our profile says about our wallet (change it to test a wallet change). */
  wallet: ProfileWallet = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'bu-chat-'));
  private readonly key = randomBytes(32);
  private port = 0;

  /** What a router mailbox received from us (when started with `mailbox: true`). */
  readonly deposited: Array<{ recipient: string; blob: Uint8Array }> = [];

  constructor(
    readonly name: string,
    readonly identity: Identity = identityFromPrivateKey(generatePrivateKey()),
    private readonly opts: { mailbox?: boolean; keepaliveMs?: number } = {},
  ) {}

  get address(): string {
    return this.identity.address;
  }

  /** A fresh wallet with a valid proof for this identity (or for `forIdentity`, to forge one). */
  useWallet(w: Wallet | HDNodeWallet = Wallet.createRandom(), forIdentity = this.address): string {
    this.wallet = { address: w.address, proof: w.signMessageSync(walletProofText(forIdentity)) };
    return w.address;
  }

  async start(): Promise<this> {
    this.store = openStore(join(this.dir, 'bu.db'), this.key);
    this.socket = await UdpSocket.bind({ host: '127.0.0.1', port: this.port });
    this.port = this.socket.address().port;
    const logger: Logger = { debug() {}, info() {}, warn: (m) => void this.warnings.push(m), error: (m) => void this.warnings.push(m) };
    let chat: ChatService | null = null;
    this.sessions = new SessionManager({ identity: this.identity, socket: this.socket, logger, authorize: (p) => chat?.authorize(p) ?? 'reject' });
    chat = new ChatService({
      store: this.store,
      sessions: this.sessions,
      identity: this.identity,
      getName: () => this.name,
      ownEndpoints: () => [this.socket.address()],
      logger,
      tickMs: 50,
      keepaliveMs: this.opts.keepaliveMs ?? 200,
      wallet: () => this.wallet,
      mailbox: this.opts.mailbox ? this.mailboxPort : null,
    });
    this.chat = chat;
    chat.start();
    return this;
  }

  private readonly mailboxPort: MailboxPort = {
    put: (recipient, blob) => {
      this.deposited.push({ recipient, blob });
      return Promise.resolve(true);
    },
    ack: () => {},
  };

  async stop(): Promise<void> {
    this.chat.stop();
    await this.sessions.close();
    await this.socket.close();
    this.store.close();
  }

  async cleanup(): Promise<void> {
    if (this.store.db.open) await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** a adds b's invite, b accepts: friends on both sides. */
export async function befriend(a: TestPeer, b: TestPeer): Promise<void> {
  a.chat.addInvite(b.chat.invite());
  await waitFor(() => b.store.contacts.get(a.address)?.state === 'pending_in', 10_000);
  b.chat.accept(a.address);
  await waitFor(() => a.store.contacts.get(b.address)?.state === 'friend', 10_000);
}
