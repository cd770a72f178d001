/**
 * @module chain/rpc/eth-state
 * Account state reads at a block (execution-apis src/eth/state.yaml): eth_getBalance,
 * eth_getTransactionCount (the "pending" tag counts the pool's waiting transactions, like
 * geth's pool nonce), eth_getCode, eth_getStorageAt, and eth_getProof (EIP-1186 Merkle
 * proofs from @ethereumjs/statemanager). The block argument takes EIP-1898 objects; a
 * missing block is -32000 "header not found". Each call reads a private state copy.
 */
import { getMerkleStateProof } from '@ethereumjs/statemanager';
import { Address } from '@ethereumjs/util';
import type { RpcContext } from './context';
import { hex, qty, stateBlock } from './context';
import type { MethodTable } from './dispatch';
import { LATEST, Params, address, arrayOf, blockRef, invalidParams, slot } from './params';

const MAX_PROOF_KEYS = 1024;

export function stateMethods(ctx: RpcContext): MethodTable {
  const state = (p: Params, i: number) => {
    const block = stateBlock(ctx, p.opt(i, blockRef) ?? LATEST);
    return ctx.ledger.stateAt(block.header);
  };
  return {
    async eth_getBalance(raw) {
      const p = new Params(raw, 2);
      const addr = new Address(p.req(0, address));
      return qty((await state(p, 1).getAccount(addr))?.balance ?? 0n);
    },
    async eth_getTransactionCount(raw) {
      const p = new Params(raw, 2);
      const addr = new Address(p.req(0, address));
      const ref = p.opt(1, blockRef) ?? LATEST;
      if ('tag' in ref && ref.tag === 'pending' && ctx.mempool) return qty(await ctx.mempool.pendingNonce(addr));
      const sm = ctx.ledger.stateAt(stateBlock(ctx, ref).header);
      return qty((await sm.getAccount(addr))?.nonce ?? 0n);
    },
    async eth_getCode(raw) {
      const p = new Params(raw, 2);
      const addr = new Address(p.req(0, address));
      return hex(await state(p, 1).getCode(addr));
    },
    async eth_getStorageAt(raw) {
      const p = new Params(raw, 3);
      const addr = new Address(p.req(0, address));
      const key = p.req(1, slot);
      const sm = state(p, 2);
      if (!(await sm.getAccount(addr))) return hex(new Uint8Array(32));
      const value = await sm.getStorage(addr, key);
      const out = new Uint8Array(32);
      out.set(value.subarray(Math.max(0, value.length - 32)), 32 - Math.min(32, value.length));
      return hex(out);
    },
    async eth_getProof(raw) {
      const p = new Params(raw, 3);
      const addr = new Address(p.req(0, address));
      const keysRaw = p.req(1, (v) => {
        arrayOf(slot)(v);
        return v as string[];
      });
      if (keysRaw.length > MAX_PROOF_KEYS) throw invalidParams(`too many storage keys: ${keysRaw.length} (at most ${MAX_PROOF_KEYS})`);
      const keys = keysRaw.map((k) => slot(k));
      const proof = await getMerkleStateProof(state(p, 2), addr, keys);
      return {
        address: proof.address,
        accountProof: proof.accountProof,
        balance: proof.balance,
        codeHash: proof.codeHash,
        nonce: proof.nonce,
        storageHash: proof.storageHash,
        // an account that does not exist has no storage trie: each key is 0 with an empty proof (geth)
        storageProof: keysRaw.map((key, i) => {
          const s = proof.storageProof[i];
          return { key, value: s && s.value !== '0x' ? qty(BigInt(s.value)) : '0x0', proof: s?.proof ?? [] };
        }),
      };
    },
  };
}
