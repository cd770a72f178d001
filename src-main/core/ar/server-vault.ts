/**
 * @module ar/server-vault
 * The router side of VAULT_PUT / VAULT_GET (README.md "Vault"): each registered client may keep
 * one blob, keyed by the address its session handshake proved (vault-store.ts). The router never
 * looks inside: the chat seals and signs the blob itself (chat/roster-blob.ts), so a router can
 * withhold or serve an old copy but cannot read, forge or alter one.
 */
import type { Logger } from '../base';
import { ArErr, Msg, type ArLimits } from './constants';
import type { ArMessage } from './messages';
import type { VaultStore } from './vault-store';

export type VaultStats = { stored: number; unchanged: number; refused: number; served: number; notFound: number; expired: number };

export function vaultLimits(l: ArLimits): { ttlMs: number; maxBlobBytes: number; maxEntries: number; maxBytes: number } {
  return { ttlMs: l.vaultTtlMs, maxBlobBytes: l.vaultMaxBlobBytes, maxEntries: l.vaultMaxEntries, maxBytes: l.vaultMaxBytes };
}

export class VaultService {
  readonly stats: VaultStats = { stored: 0, unchanged: 0, refused: 0, served: 0, notFound: 0, expired: 0 };
  private lastPurge = 0;

  constructor(
    private readonly store: VaultStore,
    /** Only clients registered with this router may use its vault (as for mailbox delivery). */
    private readonly isRegistered: (address: string) => boolean,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** VAULT_PUT from the authenticated `client`; returns the reply. */
  put(client: string, m: Extract<ArMessage, { t: typeof Msg.VAULT_PUT }>): ArMessage {
    if (!this.isRegistered(client)) return { t: Msg.ERROR, req: m.req, code: ArErr.NOT_REGISTERED };
    // expired blobs are never served; deleting them only frees space, so an hourly sweep on PUT does
    if (this.now() - this.lastPurge >= 3600_000) this.purge();
    let r;
    try {
      r = this.store.put(client, m.version, m.blob, this.now());
    } catch (e) {
      this.logger.warn('ar: vault store failed', { error: String(e) });
      return { t: Msg.ERROR, req: m.req, code: ArErr.INTERNAL };
    }
    if (!r.ok) {
      this.stats.refused++;
      return { t: Msg.ERROR, req: m.req, code: r.code === 'TOO_LARGE' ? ArErr.TOO_LARGE : ArErr.QUOTA };
    }
    if (r.changed) this.stats.stored++;
    else this.stats.unchanged++;
    return { t: Msg.VAULT_STORED, req: m.req, version: r.version };
  }

  /** VAULT_GET from the authenticated `client`: its own blob, never anyone else's. */
  get(client: string, req: number): ArMessage {
    if (!this.isRegistered(client)) return { t: Msg.ERROR, req, code: ArErr.NOT_REGISTERED };
    let e;
    try {
      e = this.store.get(client, this.now());
    } catch (err) {
      this.logger.warn('ar: vault read failed', { error: String(err) });
      return { t: Msg.ERROR, req, code: ArErr.INTERNAL };
    }
    if (!e) {
      this.stats.notFound++;
      return { t: Msg.ERROR, req, code: ArErr.NOT_FOUND };
    }
    this.stats.served++;
    return { t: Msg.VAULT, req, version: e.version, blob: e.blob };
  }

  purge(): void {
    this.lastPurge = this.now();
    try {
      this.stats.expired += this.store.purgeExpired(this.now());
    } catch (e) {
      this.logger.warn('ar: vault purge failed', { error: String(e) });
    }
  }

  usage(): { entries: number; bytes: number } {
    return this.store.usage();
  }

  close(): void {
    this.store.close();
  }
}
