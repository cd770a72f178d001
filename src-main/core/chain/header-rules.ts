/**
 * @module chain/header-rules
 * What a block header must satisfy relative to its parent, besides its seal: parent hash,
 * number, timestamp (strictly increasing after the merge, EIP-3675), gas limit bounds
 * (EIP-1559 elasticity, ±1/1024), gas used ≤ limit, and the EIP-1559 base fee.
 */
import type { BlockHeader } from '@ethereumjs/block';
import { BuError } from '../base';

/** The header rules a block must meet relative to its parent (consensus seals aside). */
export function checkHeader(h: BlockHeader, parent: BlockHeader): void {
  const bad = (why: string) => {
    throw new BuError('BAD_INPUT', `Block ${h.number} is invalid: ${why}`);
  };
  if (!equalBytes(h.parentHash, parent.hash())) bad('its parent is not the current head');
  if (h.number !== parent.number + 1n) bad(`number ${h.number} does not follow ${parent.number}`);
  if (h.timestamp <= parent.timestamp && h.common.gteHardfork('paris')) bad('timestamp does not increase');
  if (h.timestamp < parent.timestamp) bad('timestamp goes backwards');
  try {
    if (h.common.gteHardfork('london') && parent.common.gteHardfork('london')) h.validateGasLimit(parent);
  } catch (err) {
    bad((err as Error).message);
  }
  if (h.gasUsed > h.gasLimit) bad('gas used exceeds the gas limit');
  if (h.common.isActivatedEIP(1559) && parent.common.isActivatedEIP(1559)) {
    const expected = parent.calcNextBaseFee();
    if (h.baseFeePerGas !== expected) bad(`base fee ${h.baseFeePerGas} is not ${expected}`);
  }
}


function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}
