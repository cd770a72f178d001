/**
 * @module node/handlers
 * The node's implementation of every bridge method (`BridgeHandlers`). Inputs arrive already
 * validated by the dispatcher; this layer maps them onto the node and never returns a secret:
 * the mnemonic goes in (the UI or CLI generated it and showed it to the user) and never out.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import { BuError } from '../base';
import { decryptKeystoreV3, normalizeMnemonic, validateMnemonic } from '../account';
import type { NodeCore } from './node';
import { walletHandlers } from './wallet-handlers';
import { paymentHandlers } from './payment-handlers';
import { callHandlers } from './call-handlers';
import { dappStoreHandlers } from './dapp-store-handlers';
import { dappProviderHandlers } from './dapp-provider-handlers';
import { searchHandlers } from './search-handlers';

function mnemonicSecret(raw: string): { kind: 'mnemonic'; mnemonic: string } {
  const mnemonic = normalizeMnemonic(raw);
  if (!validateMnemonic(mnemonic)) throw new BuError('BAD_MNEMONIC', 'the recovery phrase is not a valid BIP-39 English mnemonic');
  return { kind: 'mnemonic', mnemonic };
}

export function createHandlers(node: NodeCore): BridgeHandlers {
  const chat = () => node.requireRuntime().chat;
  return {
    'app.getState': () => node.state(),
    'account.create': ({ mnemonic, password, name }) => node.createAccount(mnemonicSecret(mnemonic), password, name),
    'account.importMnemonic': ({ mnemonic, password, name }) => node.createAccount(mnemonicSecret(mnemonic), password, name),
    'account.importKeystore': async ({ keystore, keystorePassword, password, name }) => {
      if (node.vault.exists()) throw new BuError('ACCOUNT_EXISTS', 'this profile already has an account');
      const privateKey = await decryptKeystoreV3(keystore, keystorePassword);
      return node.createAccount({ kind: 'key', privateKey }, password, name);
    },
    'account.unlock': ({ password }) => node.unlock(password),
    'account.lock': () => node.lockAccount(),
    'account.exportKeystore': async ({ password }) => {
      const keystore = await node.vault.exportKeystore(password);
      const address = (node.vault.address() ?? '').replace(/^0x/, '').toLowerCase();
      const stamp = new Date().toISOString().replace(/:/g, '-');
      return { filename: `UTC--${stamp}--${address}.json`, keystore };
    },
    'profile.setName': ({ name }) => node.setName(name),
    'node.status': () => node.status(),
    'devnet.reset': () => node.resetDevnet(),
    'contacts.list': () => chat().listContacts(),
    'contacts.requests': () => chat().listContacts().filter((c) => c.state === 'pending_in' || c.state === 'pending_out'),
    'contacts.invite': () => ({ link: chat().invite() }),
    'contacts.add': ({ invite }) => chat().addInvite(invite),
    'contacts.accept': ({ address }) => chat().accept(address),
    'contacts.decline': ({ address }) => chat().decline(address),
    'contacts.block': ({ address }) => chat().block(address),
    'contacts.unblock': ({ address }) => chat().unblock(address),
    'contacts.rename': ({ address, name }) => chat().rename(address, name),
    'messages.list': ({ address, beforeSeq, limit }) => chat().list(address, { beforeSeq, limit }).map((m) => node.localize(m)),
    'messages.send': ({ address, text }) => chat().send(address, text),
    'messages.markRead': ({ address }) => {
      chat().markRead(address);
      return { ok: true as const };
    },
    'sealing.setMode': ({ mode }) => node.sealing.controller.setMode(mode),
    'sealing.setCpuCap': ({ percent }) => node.sealing.controller.setCpuCap(percent),
    'sealing.setIdle': ({ state }) => node.sealing.setIdle(state),
    'sealing.stakeInfo': () => node.stakeInfo(),
    'sealing.stake': ({ action, stakeWei }) => node.stake(action === 'register' ? { action, stakeWei: stakeWei === undefined ? undefined : BigInt(stakeWei) } : { action }),
    'sealing.activity': () => {
      node.sealing.activity();
      return { ok: true as const };
    },
    ...walletHandlers(node),
    ...paymentHandlers(node),
    ...callHandlers(node),
    ...dappStoreHandlers(node),
    ...dappProviderHandlers(node),
    ...searchHandlers(node),
  };
}
