/**
 * @module chain/rpc/eth-call
 * eth_call, eth_estimateGas and eth_createAccessList (execution-apis src/eth/execute.yaml,
 * EIP-2930), following geth:
 *   - eth_call: revert → code 3 "execution reverted[: reason]" with the revert data; any
 *     other halt → -32000 with geth's wording; optional third argument: state overrides
 *     { address: { balance, nonce, code, state | stateDiff } } (geth's override set);
 *   - eth_estimateGas: geth's binary search (eth/gasestimator): upper bound = the gas given,
 *     else the block gas limit, capped by what the sender's balance pays for at the fee cap
 *     and by the RPC gas cap; a plain transfer to a code-less account is 21,000 outright; a
 *     first run at the bound decides between a revert (code 3) and -32000 "gas required
 *     exceeds allowance (N)"; then an optimistic probe at (used + refund + 2300) × 64/63 and
 *     bisection until within 1.5 %;
 *   - eth_createAccessList: runs until the touched set stops changing (at most 10 rounds),
 *     leaving out the sender, the recipient (or created contract) and precompiles; returns
 *     { accessList, gasUsed } and "error" when the execution failed.
 */
import type { AccessList, AccessListBytes } from '@ethereumjs/tx';
import { Address, createContractAddress, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import type { Block } from '@ethereumjs/block';
import type { CallArgs } from './call-args';
import { callArgs } from './call-args';
import { hex, qty, stateBlock, serverError, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { Executor, RPC_GAS_CAP, type Outcome } from './execute';
import { LATEST, ParamError, Params, address, blockRef, data, hash32, invalidParams, object, quantity, uint64 } from './params';
import { revertError, vmErrorMessage } from './revert';

const TX_GAS = 21_000n;
const CALL_STIPEND = 2_300n;
const ERROR_RATIO = 0.015;

export function callMethods(ctx: RpcContext): MethodTable {
  const args = callArgs(ctx.ledger.chainId);
  const setup = async (p: Params) => {
    const a = p.req(0, args);
    const block = stateBlock(ctx, p.opt(1, blockRef) ?? LATEST);
    return { a, block, ex: await Executor.at(ctx.ledger, block) };
  };
  return {
    async eth_call(raw) {
      const p = new Params(raw, 4);
      const { a, ex } = await setup(p);
      const overrides = p.opt(2, stateOverrides);
      if (p.opt(3, object)) throw invalidParams('invalid argument 3: block overrides are not supported');
      if (overrides) await applyOverrides(ex, overrides);
      const gas = a.gas !== undefined && a.gas < RPC_GAS_CAP ? a.gas : RPC_GAS_CAP;
      const out = await ex.run(a, gas);
      if (out.error === 'revert') throw revertError(out.returnValue);
      if (out.error) throw serverError(vmErrorMessage(out.error));
      return hex(out.returnValue);
    },
    async eth_estimateGas(raw) {
      const p = new Params(raw, 3);
      const { a, block, ex } = await setup(p);
      const overrides = p.opt(2, stateOverrides);
      if (overrides) await applyOverrides(ex, overrides);
      return qty(await estimateGas(ex, a, block));
    },
    async eth_createAccessList(raw) {
      const p = new Params(raw, 2);
      const { a, ex } = await setup(p);
      return createAccessList(ex, a);
    },
  };
}

async function estimateGas(ex: Executor, a: CallArgs, block: Block): Promise<bigint> {
  let hi = a.gas !== undefined && a.gas >= TX_GAS ? a.gas : block.header.gasLimit;
  const { cap } = ex.fees(a);
  if (cap > 0n) {
    const balance = await ex.balance(a.from);
    if (a.value > balance) throw serverError('insufficient funds for transfer');
    const allowance = (balance - a.value) / cap;
    if (hi > allowance) hi = allowance;
  }
  if (hi > RPC_GAS_CAP) hi = RPC_GAS_CAP;

  const attempt = async (gas: bigint): Promise<{ failed: boolean; out?: Outcome }> => {
    try {
      const out = await ex.run(a, gas);
      return { failed: out.error !== undefined, out };
    } catch (err) {
      if (err instanceof Error && /^intrinsic gas too low/.test(err.message)) return { failed: true };
      throw err;
    }
  };

  if (a.data.length === 0 && a.to && !(await ex.hasCode(a.to))) {
    const r = await attempt(TX_GAS);
    if (!r.failed) return TX_GAS;
  }
  const first = await attempt(hi);
  if (first.failed) {
    if (first.out?.error === 'revert') throw revertError(first.out.returnValue);
    if (first.out?.error && first.out.error !== 'out of gas') throw serverError(vmErrorMessage(first.out.error));
    throw serverError(`gas required exceeds allowance (${hi})`);
  }
  const used = first.out!.gasUsed;
  let lo = used - 1n;
  const optimistic = ((used + first.out!.refund + CALL_STIPEND) * 64n) / 63n;
  if (optimistic < hi) {
    if ((await attempt(optimistic)).failed) lo = optimistic;
    else hi = optimistic;
  }
  while (lo + 1n < hi) {
    if (Number(hi - lo) / Number(hi) < ERROR_RATIO) break;
    let mid = (hi + lo) / 2n;
    if (mid > lo * 2n) mid = lo * 2n;
    if ((await attempt(mid)).failed) lo = mid;
    else hi = mid;
  }
  return hi;
}

async function createAccessList(ex: Executor, a: CallArgs) {
  const gas = a.gas ?? RPC_GAS_CAP;
  const createdAt = a.to ? undefined : await nonceOf(ex, a.from);
  const skip = new Set<string>([a.from.toString().toLowerCase()]);
  skip.add((a.to ?? createContractAddress(a.from, createdAt ?? 0n)).toString().toLowerCase());
  for (const k of ex.vm.evm.precompiles.keys()) skip.add('0x' + k.toLowerCase());
  let list = (a.accessList ?? []).map(([addr, keys]) => ({ address: hex(addr), storageKeys: keys.map(hex) })) as AccessList;
  let out: Outcome | undefined;
  for (let round = 0; round < 10; round++) {
    out = await ex.run(a, gas, { accessList: toBytes(list), reportAccessList: true });
    const next = normalise(out.accessList ?? [], skip);
    if (sameList(next, list)) break;
    list = next;
  }
  const result: Record<string, unknown> = { accessList: list, gasUsed: qty(out!.gasUsed) };
  if (out!.error) result.error = vmErrorMessage(out!.error);
  return result;
}

async function nonceOf(ex: Executor, addr: Address): Promise<bigint> {
  return (await ex.vm.stateManager.getAccount(addr))?.nonce ?? 0n;
}

function normalise(list: AccessList, skip: Set<string>): AccessList {
  return list
    .map((i) => ({ address: i.address.toLowerCase(), storageKeys: [...new Set(i.storageKeys.map((k) => hex(setLengthLeft(hexToBytes(k as `0x${string}`), 32))))].sort() }))
    .filter((i) => !skip.has(i.address))
    .sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0)) as AccessList;
}

function sameList(a: AccessList, b: AccessList): boolean {
  return JSON.stringify(normalise(a, new Set())) === JSON.stringify(normalise(b, new Set()));
}

function toBytes(list: AccessList): AccessListBytes {
  return list.map((i) => [hexToBytes(i.address as `0x${string}`), i.storageKeys.map((k) => hexToBytes(k as `0x${string}`))]);
}

// ---- state overrides (geth's override.StateOverride) -----------------------------------

type Override = { balance?: bigint; nonce?: bigint; code?: Uint8Array; state?: [Uint8Array, Uint8Array][]; stateDiff?: [Uint8Array, Uint8Array][] };

function slots(v: unknown): [Uint8Array, Uint8Array][] {
  return Object.entries(object(v)).map(([k, val]) => [hash32(k), hash32(val)]);
}

function stateOverrides(v: unknown): [Address, Override][] {
  return Object.entries(object(v)).map(([addr, o]) => {
    const x = object(o);
    if (x.state !== undefined && x.stateDiff !== undefined) throw new ParamError(`account ${addr} has both 'state' and 'stateDiff'`);
    return [
      new Address(address(addr)),
      {
        balance: x.balance !== undefined ? quantity(x.balance) : undefined,
        nonce: x.nonce !== undefined ? uint64(x.nonce) : undefined,
        code: x.code !== undefined ? data(x.code) : undefined,
        state: x.state !== undefined ? slots(x.state) : undefined,
        stateDiff: x.stateDiff !== undefined ? slots(x.stateDiff) : undefined,
      },
    ];
  });
}

async function applyOverrides(ex: Executor, list: [Address, Override][]): Promise<void> {
  const sm = ex.vm.stateManager;
  for (const [addr, o] of list) {
    if (o.code) await sm.putCode(addr, o.code);
    if (o.balance !== undefined || o.nonce !== undefined) {
      await sm.modifyAccountFields(addr, {
        ...(o.balance !== undefined ? { balance: o.balance } : {}),
        ...(o.nonce !== undefined ? { nonce: o.nonce } : {}),
      });
    }
    if (o.state) await sm.clearStorage(addr);
    for (const [k, val] of o.state ?? o.stateDiff ?? []) await sm.putStorage(addr, k, val);
  }
}
