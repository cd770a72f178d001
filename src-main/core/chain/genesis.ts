/**
 * @module chain/genesis
 * Genesis files are geth's genesis JSON (`config` with the chain id and fork schedule,
 * header fields, `alloc` of balances, code, storage and nonces), so the same file works with
 * geth, anvil (`--init`) and this ledger, and `chain import` reads real test chains. The
 * fork schedule becomes an @ethereumjs/common `Common` (createCommonFromGethGenesis); the
 * genesis block is built the way geth builds it (post-Shanghai: empty withdrawals root,
 * post-Cancun: zero blob gas and parent beacon root).
 */
import { createBlock, type Block } from '@ethereumjs/block';
import {
  createCommonFromGethGenesis,
  parseGethGenesisState,
  type Common,
  type GenesisState,
  type GethGenesis,
} from '@ethereumjs/common';
import { KECCAK256_RLP, SHA256_NULL } from '@ethereumjs/util';
import { BuError } from '../base';

export type { GethGenesis };

/** Parse and check a genesis document (a file's JSON text or an object). */
export function parseGenesis(input: string | unknown): GethGenesis {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (err) {
      throw new BuError('BAD_INPUT', `The genesis file is not valid JSON: ${(err as Error).message}`);
    }
  }
  const g = json as Partial<GethGenesis> | null;
  if (!g || typeof g !== 'object' || !g.config || typeof g.config !== 'object') {
    throw new BuError('BAD_INPUT', 'The genesis file has no "config" object (geth genesis format expected).');
  }
  const chainId = Number((g.config as { chainId?: unknown }).chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new BuError('BAD_INPUT', 'The genesis config has no valid chainId.');
  if (!g.alloc || typeof g.alloc !== 'object') throw new BuError('BAD_INPUT', 'The genesis file has no "alloc" object.');
  if (g.gasLimit === undefined) throw new BuError('BAD_INPUT', 'The genesis file has no gasLimit.');
  return g as GethGenesis;
}

export function commonFromGenesis(genesis: GethGenesis, name = 'bitunicom'): Common {
  try {
    return createCommonFromGethGenesis(genesis, { chain: name });
  } catch (err) {
    throw new BuError('BAD_INPUT', `The genesis fork schedule is not understood: ${(err as Error).message}`);
  }
}

export function genesisState(genesis: GethGenesis): GenesisState {
  return parseGethGenesisState(genesis);
}

/** The genesis block for a state root, as geth computes it. */
export function genesisBlock(common: Common, stateRoot: Uint8Array): Block {
  const c = common.copy();
  c.setHardforkBy({ blockNumber: 0n, timestamp: BigInt(c.genesis().timestamp ?? 0) });
  const header = {
    ...c.genesis(),
    number: 0n,
    stateRoot,
    withdrawalsRoot: c.isActivatedEIP(4895) ? KECCAK256_RLP : undefined,
    requestsHash: c.isActivatedEIP(7685) ? SHA256_NULL : undefined,
  };
  return createBlock({ header, withdrawals: c.isActivatedEIP(4895) ? [] : undefined }, { common: c });
}
