/**
 * @module contract/methods
 * Every bridge method, once: name → input schema and output schema. The dispatcher in
 * `src-main/bridge` validates inputs against these at run time and is checked at compile
 * time to implement exactly this table; both shells and the CLI serve it unchanged.
 *
 * Secrets: inputs may carry a password or a recovery phrase the user typed; no output
 * carries a private key, seed or mnemonic (a unit test walks the output schemas to prove it).
 * The exported keystore is Web3 Secret Storage ciphertext under a password the user chose.
 */
import { z } from 'zod';
import {
  Address,
  AppState,
  Contact,
  Message,
  MessageText,
  NewPassword,
  NodeStatus,
  Password,
  ProfileName,
} from './schemas';
import { SEALING_METHODS } from './sealing';
import { WALLET_METHODS } from './wallet';
import { PAYMENT_METHODS } from './payments';
import { CALL_METHODS } from './calls';
import { DAPP_METHODS } from './dapps';
import { SEARCH_METHODS } from './search';

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });
const AddressInput = z.strictObject({ address: Address });

export const METHODS = {
  'app.getState': { input: Empty, output: AppState },
  'account.create': {
    input: z.strictObject({ mnemonic: z.string().max(1000), password: NewPassword, name: ProfileName }),
    output: AppState,
  },
  'account.importMnemonic': {
    input: z.strictObject({ mnemonic: z.string().max(1000), password: NewPassword, name: ProfileName }),
    output: AppState,
  },
  'account.importKeystore': {
    input: z.strictObject({
      keystore: z.string().max(64 * 1024),
      keystorePassword: z.string().max(1024),
      password: NewPassword,
      name: ProfileName,
    }),
    output: AppState,
  },
  'account.unlock': { input: z.strictObject({ password: Password }), output: AppState },
  'account.lock': { input: Empty, output: AppState },
  'account.exportKeystore': {
    input: z.strictObject({ password: Password }),
    output: z.object({ filename: z.string(), keystore: z.string() }),
  },
  'profile.setName': { input: z.strictObject({ name: ProfileName }), output: AppState },
  'node.status': { input: Empty, output: NodeStatus },
  /** Start the embedded devnet over from a fresh genesis (every block and balance is lost). */
  'devnet.reset': { input: z.strictObject({ confirm: z.literal(true) }), output: NodeStatus },
  'contacts.list': { input: Empty, output: z.array(Contact) },
  'contacts.requests': { input: Empty, output: z.array(Contact) },
  'contacts.invite': { input: Empty, output: z.object({ link: z.string() }) },
  'contacts.add': {
    input: z.strictObject({ invite: z.string().min(1).max(4096) }),
    output: Contact,
  },
  'contacts.accept': { input: AddressInput, output: Contact },
  'contacts.decline': { input: AddressInput, output: Contact },
  'contacts.block': { input: AddressInput, output: Contact },
  'contacts.unblock': { input: AddressInput, output: Contact },
  'contacts.rename': { input: z.strictObject({ address: Address, name: ProfileName }), output: Contact },
  'messages.list': {
    input: z.strictObject({
      address: Address,
      beforeSeq: z.number().int().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.array(Message),
  },
  'messages.send': { input: z.strictObject({ address: Address, text: MessageText }), output: Message },
  'messages.markRead': { input: AddressInput, output: Ok },
  ...SEALING_METHODS,
  ...WALLET_METHODS,
  ...PAYMENT_METHODS,
  ...CALL_METHODS,
  ...DAPP_METHODS,
  ...SEARCH_METHODS,
} as const;

export type MethodName = keyof typeof METHODS;
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof METHODS)[M]['output']>;

/** What a service must implement to serve the bridge. */
export type BridgeHandlers = {
  [M in MethodName]: (input: z.infer<(typeof METHODS)[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}
