/**
 * @module seal/transport
 * How POE's messages move between nodes. The P2P implementation (p2p/) runs over the
 * product's UDP stack (DHT records under POE_APP_ID, sessions, router relays); `MemoryHub`
 * connects engines inside one process (the embedded devnet's primaries, tests) with the
 * same semantics: broadcast reaches every other member once, never the sender; a consumer
 * returns true for a valid message (the P2P flood relays only those).
 */
export type PeerSummary = { address: string; rttMs: number | null; via: 'direct' | 'relay' | 'memory' };

export type PoeTransport = {
  broadcast(msg: Uint8Array): void;
  send(peer: string, msg: Uint8Array): boolean;
  onMessage(cb: (msg: Uint8Array, from: string) => boolean | Promise<boolean>): () => void;
  onRequest(handler: (req: Uint8Array, from: string) => Promise<Uint8Array>): void;
  request(peer: string, req: Uint8Array, timeoutMs?: number): Promise<Uint8Array>;
  peers(): PeerSummary[];
  close(): Promise<void>;
};

type Member = { id: string; listeners: Set<(msg: Uint8Array, from: string) => boolean | Promise<boolean>>; handler: ((req: Uint8Array, from: string) => Promise<Uint8Array>) | null; up: boolean };

/** In-process transport: every member sees every other member's broadcasts (asynchronously). */
export class MemoryHub {
  private readonly members = new Map<string, Member>();
  /** Drop rate for tests of lossy links (0..1). */
  lossRate = 0;

  join(id: string): PoeTransport {
    const me: Member = { id, listeners: new Set(), handler: null, up: true };
    this.members.set(id, me);
    const deliver = (to: Member, msg: Uint8Array) => {
      if (!to.up || Math.random() < this.lossRate) return;
      setImmediate(() => {
        for (const l of to.listeners) void Promise.resolve(l(msg, id)).catch(() => false);
      });
    };
    return {
      broadcast: (msg) => {
        if (!me.up) return;
        for (const m of this.members.values()) if (m !== me) deliver(m, msg);
      },
      send: (peer, msg) => {
        const m = this.members.get(peer);
        if (!me.up || !m?.up) return false;
        deliver(m, msg);
        return true;
      },
      onMessage: (cb) => {
        me.listeners.add(cb);
        return () => me.listeners.delete(cb);
      },
      onRequest: (handler) => {
        me.handler = handler;
      },
      request: async (peer, req) => {
        const m = this.members.get(peer);
        if (!me.up || !m?.up || !m.handler) throw new Error(`peer ${peer} is not reachable`);
        return m.handler(req, id);
      },
      peers: () => [...this.members.values()].filter((m) => m !== me && m.up).map((m) => ({ address: m.id, rttMs: 0, via: 'memory' as const })),
      close: async () => {
        me.up = false;
        this.members.delete(id);
      },
    };
  }
}
