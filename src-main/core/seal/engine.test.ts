import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { testAccounts } from '../chain';
import { decodeBody } from './codec';
import { BODY_AUX } from './proposer';
import { startTestNetwork, type TestNetwork, until } from './testing';

let net: TestNetwork | null = null;
afterEach(async () => {
  await net?.close();
  net = null;
});

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
      if (h > 1n) {
        // Block h pays block h−1's proposer, its sealers and its precommit signers (EIP-4895 withdrawals).
        const parent = a!.ledger.blockByNumber(h - 1n)!;
        const w = b.withdrawals ?? [];
        expect(w[0]!.address.toString()).toBe(parent.header.coinbase.toString());
        expect(w[0]!.amount).toBe(net.params.rewards.proposerGwei);
        expect(w.filter((x) => x.amount === net!.params.rewards.voterGwei).length).toBeGreaterThanOrEqual(3);
        expect(w.some((x) => x.amount === net!.params.rewards.sealerGwei)).toBe(true);
      }
    }
  }, 60_000);
});

describe('POE engine: transactions', () => {
  it('a transaction sent to a sealer node reaches the primaries, is finalised once, in the same block on every node', async () => {
    net = await startTestNetwork({ primaries: 4, sealers: 2, sealerNodes: 1, blockIntervalMs: 60_000 });
    const [A, B] = testAccounts(2) as [ReturnType<typeof testAccounts>[0], ReturnType<typeof testAccounts>[0]];
    const sealerNode = net.nodes.find((n) => n.id === 's0')!;
    const head = sealerNode.ledger.head.header;
    const tx = createFeeMarket1559Tx(
      { chainId: 16981n, nonce: 0n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, gasLimit: 21_000n, to: createAddressFromString(B.address), value: 12345n },
      { common: sealerNode.ledger.commonAt(head.number + 1n, head.timestamp + 1n) },
    ).sign(hexToBytes(A.key));
    const hash = await sealerNode.mempool.add(tx.serialize());
    // No empty blocks (interval 60 s): only the transaction makes the network finalise a block.
    await until(() => net!.nodes.every((n) => n.ledger.txLocation(hexToBytes(hash as `0x${string}`)) !== undefined), 45_000, 'the transaction everywhere');
    const at = net.nodes.map((n) => n.ledger.txLocation(hexToBytes(hash as `0x${string}`))!.block.header.number);
    expect(new Set(at.map(String)).size).toBe(1);
    for (const n of net.nodes) {
      const st = n.ledger.stateAt(n.ledger.head.header);
      expect((await st.getAccount(createAddressFromString(B.address)))?.balance).toBe(10n ** 24n + 12345n);
      expect(n.mempool.size).toBe(0);
    }
  }, 60_000);
});
