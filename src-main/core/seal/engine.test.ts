import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@ethereumjs/util';
import { decodeBody } from './codec';
import { BODY_AUX } from './proposer';
import { startTestNetwork, type TestNetwork } from './testing';

let net: TestNetwork | null = null;
afterEach(async () => {
  await net?.close();
  net = null;
});

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const heads = (n: TestNetwork) => n.nodes.map((x) => x.ledger.head.header.number);

describe('POE engine (in-process network)', () => {
  it('4 primaries and 4 sealers finalise the same blocks, with POE bodies, seals and rewards', async () => {
    net = await startTestNetwork({ primaries: 4, sealers: 4, sealerNodes: 2, blockIntervalMs: 300 });
    await until(() => heads(net!).every((h) => h >= 4n), 45_000, 'height 4 everywhere');
    const [a, ...rest] = net.nodes;
    for (let h = 1n; h <= 4n; h++) {
      const ha = bytesToHex(a!.ledger.blockByNumber(h)!.hash());
      for (const n of rest) expect(bytesToHex(n.ledger.blockByNumber(h)!.hash())).toBe(ha);
      const b = a!.ledger.blockByNumber(h)!;
      const body = decodeBody(a!.ledger.aux(b.hash(), BODY_AUX)!);
      expect(bytesToHex(b.header.mixHash)).toBe(bytesToHex(sha256(body.ticketSig)));
      if (h > 1n) expect((b.withdrawals ?? []).length).toBeGreaterThan(0);
    }
  }, 60_000);
});
