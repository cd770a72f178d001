/**
 * @module contract/primitives
 * The smallest shared value schemas (addresses, amounts, hashes), imported by the other
 * contract files so that none of them has to import another's whole module.
 */
import { z } from 'zod';

export const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an address is 0x followed by 40 hex digits');
export const Password = z.string().min(1, 'password is required').max(1024);
export const BaseUnits = z.string().regex(/^\d{1,80}$/, 'an amount in base units is a decimal integer');
/** An amount as the user types it, in the token's units ("1.5"). */
export const DecimalAmount = z.string().trim().regex(/^\d{1,78}(\.\d{1,77})?$/, 'an amount is a number like 1.5');
export const NetworkId = z.string().min(1).max(64);
export const TxHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a transaction hash is 0x followed by 64 hex digits');
export const FeeTierName = z.enum(['slow', 'normal', 'fast']);
export const WalletToken = z.object({ address: Address, symbol: z.string(), name: z.string(), decimals: z.number().int().min(0).max(77) });
/** An amount in base units with the text the UI shows ("1 234.5 BU"). */
export const Amount = z.object({ amount: BaseUnits, formatted: z.string(), symbol: z.string(), decimals: z.number().int() });
