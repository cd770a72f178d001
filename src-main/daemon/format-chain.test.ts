import { describe, expect, it } from 'vitest';
import type { ChainStatusT } from '../../src-preload/contract';
import { formatChain, formatGwei, formatReset } from './format-chain';

const HASH = '0x' + 'ab'.repeat(32);
const NOW = 1_700_000_000_000;

function chain(over: Partial<ChainStatusT> = {}): ChainStatusT {
  return {
    network: 'BitUnicom devnet',
    producer: 'devnet',
    chainId: 16981,
    head: { number: 123, hash: HASH, timestamp: NOW - 3_000, txs: 2, gasUsed: 42_000, gasLimit: 30_000_000, baseFeeWei: '875000000' },
    blockTimeSec: 2.004,
    intervalSec: 2,
    mempool: { pending: 3, queued: 1 },
    peers: 0,
    rpcUrl: 'http://127.0.0.1:8545',
    ...over,
  };
}

describe('format-chain', () => {
  it('prints base fees in exact gwei, tiny ones in wei', () => {
    expect(formatGwei('1000000000')).toBe('1 gwei');
    expect(formatGwei('875000000')).toBe('0.875 gwei');
    expect(formatGwei('1000000007')).toBe('1.000000007 gwei');
    expect(formatGwei('123456789012345678901000000000')).toBe('123456789012345678901 gwei');
    expect(formatGwei('7')).toBe('7 wei');
    expect(formatGwei('0')).toBe('0 gwei');
  });

  it('starts with the RPC line serve prints, then one line per chain fact', () => {
    const lines = formatChain({ rpcUrl: 'http://127.0.0.1:8545', chain: chain() }, NOW).split('\n');
    expect(lines).toEqual([
      'RPC: http://127.0.0.1:8545',
      'Network:     BitUnicom devnet, chain id 16981, blocks made by the devnet producer',
      `Head:        #123 ${HASH}, 3s ago, 2 tx`,
      'Gas:         42000 of 30000000 (0.14%), base fee 0.875 gwei',
      'Block time:  2s on average, a block every 2s when idle',
      'Mempool:     3 pending, 1 queued',
      'Chain peers: 0 (the devnet runs on this machine only)',
    ]);
  });

  it('says so when there is no chain, nothing measured yet, or nothing produced', () => {
    expect(formatChain({ rpcUrl: null, chain: null }, NOW)).toBe('RPC: not running (the local devnet starts once this profile has an account)');
    const served = formatChain(
      { rpcUrl: 'http://127.0.0.1:9', chain: chain({ producer: 'none', intervalSec: null, blockTimeSec: null, peers: 2, head: { ...chain().head, gasUsed: 0, txs: 0 } }) },
      NOW,
    );
    expect(served).toContain('served only, no blocks are made');
    expect(served).toContain('Block time:  not measured yet\n');
    expect(served).toContain('Gas:         0 of 30000000 (empty block)');
    expect(served).toContain('Chain peers: 2');
    // peer-chosen text never reaches the terminal raw
    expect(formatChain({ rpcUrl: null, chain: chain({ network: 'evil\u001b[2Jnet' }) }, NOW)).toContain('Network:     evil[2Jnet,');
  });

  it('summarises a reset: the new genesis, or when it will be made', () => {
    const fresh = chain({ head: { ...chain().head, number: 0, txs: 0, gasUsed: 0 } });
    expect(formatReset({ rpcUrl: 'http://127.0.0.1:8545', chain: fresh })).toBe(
      [
        'Devnet reset: BitUnicom devnet (chain id 16981) starts again from a new genesis.',
        `Genesis:     #0 ${HASH}`,
        'RPC: http://127.0.0.1:8545',
      ].join('\n'),
    );
    expect(formatReset({ rpcUrl: null, chain: chain() })).toContain(`Head:        #123 ${HASH}`);
    expect(formatReset({ rpcUrl: null, chain: null })).toMatch(/^Devnet erased\. A new genesis is created the next time the node runs/);
  });
});
