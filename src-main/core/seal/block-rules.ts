/**
 * @module seal/block-rules
 * What makes a block a POE block, on top of the ledger's Ethereum rules (checkBlock):
 * extraData commits to its poeBody; its coinbase is a primary of the height whose proposer
 * ticket for the body's round verifies and wins; mixHash (prevRandao, EIP-4399) is that
 * ticket; poeBody.lastCert proves the parent final; the withdrawals are exactly the rewards
 * that certificate earns. A block that passes these and re-executes is valid; it is final
 * once a certificate of its own exists.
 */
import type { Block } from '@ethereumjs/block';
import { sha256 } from '@noble/hashes/sha2.js';
import { BuError } from '../base';
import { bodyHash, decodeBody, decodeCertificate, type Certificate, type PoeBody } from './codec';
import type { HeightContext } from './context';
import { rewardWithdrawals, sameWithdrawals } from './rewards';
import type { Validator } from './types';
import { proposerEligible, sortitionWins, verifyCertificate } from './verify';

export type PoeBlockInfo = { body: PoeBody; lastCert: Certificate | null; proposer: Validator };

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** Checks the POE rules of `block` (height ctx.height) whose parent is `parent`; throws BAD_INPUT. */
/** `verifiedTicket`: a ticket signature the caller already verified for this proposer (its proposal message's). */
export function checkPoeBlock(ctx: HeightContext, parentCtx: HeightContext | null, block: Block, bodyBytes: Uint8Array, parent: Block, verifiedTicket?: Uint8Array): PoeBlockInfo {
  const fail = (why: string): never => {
    throw new BuError('BAD_INPUT', `Block ${block.header.number} is not a valid POE block: ${why}`);
  };
  if (block.header.number !== ctx.height) fail('wrong height');
  if (!eq(block.header.parentHash, parent.hash())) fail('it does not extend its parent');
  if (!eq(block.header.extraData, bodyHash(bodyBytes))) fail('extraData does not commit to its body');
  const body = decodeBody(bodyBytes);
  const proposer = ctx.primaries.get(block.header.coinbase.toString().toLowerCase());
  if (!proposer) fail('its proposer is not a primary');
  const known = verifiedTicket && eq(verifiedTicket, body.ticketSig);
  if (known ? !sortitionWins(ctx, proposer!, body.round, body.ticketSig) : !proposerEligible(ctx, proposer!, body.round, body.ticketSig)) fail('its proposer ticket does not win');
  if (!eq(block.header.mixHash, sha256(body.ticketSig))) fail('prevRandao is not the proposer ticket');
  let lastCert: Certificate | null = null;
  if (ctx.height === 1n) {
    if (body.lastCert.length !== 0) fail('the first block has no parent certificate');
    if ((block.withdrawals ?? []).length !== 0) fail('the first block pays no rewards');
  } else {
    if (!parentCtx) fail('no context for the parent');
    lastCert = decodeCertificate(body.lastCert);
    verifyCertificate(parentCtx!, lastCert, parent.hash());
    if (!sameWithdrawals(block, rewardWithdrawals(parentCtx!, lastCert, parent))) fail('its withdrawals are not the rewards of its parent');
  }
  return { body, lastCert, proposer: proposer! };
}
