/**
 * @module ar/vault-client
 * The client side of the router vault (README.md "Vault"), used by ArClient.vaultPut/vaultGet.
 *
 *  - put: the blob goes to every registered home router at once; each answers with the version
 *    it holds now (ours, or a newer one another machine of this account uploaded).
 *  - get: asks the home routers and the routers of our own previous DHT record (`via`, which a
 *    new machine is not registered with: it registers over a temporary session first, since a
 *    router serves its vault to registered clients only). Every answer is checked by the
 *    caller's `verify` (false: not wanted; throwing: invalid, logged) — the router cannot forge a
 *    blob, but it can serve an old one or garbage;
 *    the highest valid version wins, so one stale router cannot roll the contact list back.
 */
import type { Logger } from '../base';
import { sameEndpoint, type Endpoint } from '../net';
import { ArErr, Msg, VAULT_MAX_BLOB } from './constants';
import type { RouterLinks, Link } from './router-links';

export type VaultPutReport = Array<{ router: string; version: number | null }>;
export type VaultCopy = { router: string; version: number; blob: Uint8Array };

export class VaultClient {
  constructor(
    private readonly links: RouterLinks,
    private readonly localEndpoints: () => Endpoint[],
    private readonly logger: Logger,
  ) {}

  /** PUT to every home router (or those of `only`, by address); the version each now holds (null: no answer or refused). */
  async put(blob: Uint8Array, version: number, only?: readonly string[]): Promise<VaultPutReport> {
    if (blob.length === 0 || blob.length > VAULT_MAX_BLOB) throw new RangeError(`vault blob is ${blob.length} bytes (1..${VAULT_MAX_BLOB})`);
    const wanted = only?.map((a) => a.toLowerCase());
    const homes = this.links.homes().filter((l) => !wanted || wanted.includes(l.key));
    return Promise.all(
      homes.map(async (l) => {
        const r = await this.links.request(l, (req) => ({ t: Msg.VAULT_PUT, req, version, blob }));
        if (r?.t === Msg.ERROR) this.logger.debug('ar: vault put refused', { router: l.address, code: r.code });
        return { router: l.address, version: r?.t === Msg.VAULT_STORED ? r.version : null };
      }),
    );
  }

  /** The highest-versioned copy that `verify` accepts, from home routers and `via` routers. */
  async get(via: readonly Endpoint[], verify: (blob: Uint8Array, version: number) => boolean): Promise<VaultCopy | null> {
    const homes = this.links.homes();
    const others = via.filter((e, i) => !homes.some((l) => sameEndpoint(l.endpoint, e)) && via.findIndex((x) => sameEndpoint(x, e)) === i).slice(0, 4);
    const answers = await Promise.all([...homes.map((l) => this.ask(l)), ...others.map((e) => this.askTemporary(e))]);
    let best: VaultCopy | null = null;
    const seen = new Set<string>();
    for (const a of answers) {
      if (!a || seen.has(a.router.toLowerCase())) continue;
      seen.add(a.router.toLowerCase());
      try {
        if (!verify(a.blob, a.version)) continue; // valid, but not wanted (e.g. a copy we wrote ourselves)
      } catch (e) {
        this.logger.warn('ar: a router served an invalid vault blob', { router: a.router, version: a.version, error: String(e) });
        continue;
      }
      if (!best || a.version > best.version) best = a;
    }
    return best;
  }

  private async ask(l: Link): Promise<VaultCopy | null> {
    const r = await this.links.request(l, (req) => ({ t: Msg.VAULT_GET, req }));
    if (r?.t === Msg.VAULT) return { router: l.address, version: r.version, blob: r.blob };
    if (r?.t === Msg.ERROR && r.code !== ArErr.NOT_FOUND) this.logger.debug('ar: vault get refused', { router: l.address, code: r.code });
    return null;
  }

  /** A router we are not registered with: a temporary session, REGISTER, then GET. */
  private async askTemporary(e: Endpoint): Promise<VaultCopy | null> {
    const l = await this.links.attach(e, false);
    if (!l) return null;
    if (!l.home) {
      const endpoints = this.localEndpoints();
      const reg = await this.links.request(l, (req) => ({ t: Msg.REGISTER, req, endpoints }));
      if (reg?.t !== Msg.REGISTERED) return null;
    }
    return this.ask(l);
  }
}
