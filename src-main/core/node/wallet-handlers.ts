/**
 * @module node/wallet-handlers
 * The `wallet.*` bridge methods → the unlocked WalletService. Inputs arrive validated by the
 * dispatcher; outputs are the contract's shapes and never hold a key. Exporting a keystore
 * asks for the profile password again (checked against the vault) and encrypts under it.
 * Contract calls name the custom errors of the contracts the node knows (the DappRegistry and
 * ERC-20 tokens' EIP-6093 errors) when a call reverts with one of them.
 */
import { Interface } from 'ethers';
import type { BridgeHandlers, WALLET_METHODS } from '../../../src-preload/contract';
import { DAPP_REGISTRY_ABI } from '../dapps';
import { accountView, type WalletService } from '../wallet';
import type { NodeCore } from './node';

type WalletHandlers = Pick<BridgeHandlers, keyof typeof WALLET_METHODS>;

const OK = { ok: true as const };

/** ERC-20 errors of EIP-6093 (OpenZeppelin 5), the test token's. */
const ERC20_ERRORS = [
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidApprover(address approver)',
  'error ERC20InvalidSpender(address spender)',
];
/** Custom errors named in CALL_REVERTED messages (by selector, whatever contract was called). */
export const KNOWN_ERRORS = new Interface([...DAPP_REGISTRY_ABI.filter((f) => f.startsWith('error ')), ...ERC20_ERRORS]);

export function walletHandlers(node: NodeCore): WalletHandlers {
  const w = (): WalletService => node.requireWallet();
  return {
    'wallet.accounts': ({ includeHidden }) => w().accountList(includeHidden),
    'wallet.addAccount': ({ name }) => w().accountChanged(accountView(w().accounts.add(name))),
    'wallet.renameAccount': ({ address, name }) => w().accountChanged(accountView(w().accounts.rename(address, name))),
    'wallet.setHidden': ({ address, hidden }) => w().accountChanged(accountView(w().accounts.setHidden(address, hidden))),
    'wallet.removeAccount': ({ address }) => {
      w().accounts.remove(address);
      return w().accountChanged(OK);
    },
    'wallet.importPrivateKey': ({ privateKey, name }) => w().accountChanged(accountView(w().accounts.importPrivateKey(privateKey, name))),
    'wallet.importKeystore': async ({ keystore, keystorePassword, name }) => w().accountChanged(accountView(await w().accounts.importKeystore(keystore, keystorePassword, name))),
    'wallet.addWatch': ({ address, name }) => w().accountChanged(accountView(w().accounts.addWatch(address, name))),
    'wallet.exportKeystore': async ({ address, password }) => {
      const wallet = w();
      await node.vault.unlock(password); // WRONG_PASSWORD unless it is the profile's
      const keystore = await wallet.accounts.exportKeystore(address, password, { scryptN: node.opts.scryptN });
      const stamp = new Date().toISOString().replace(/:/g, '-');
      return { filename: `UTC--${stamp}--${address.slice(2).toLowerCase()}.json`, keystore };
    },
    'wallet.networks': () => w().networkList(),
    'wallet.addNetwork': (i) => w().addNetwork(i),
    'wallet.editNetwork': (i) => w().editNetwork(i),
    'wallet.removeNetwork': ({ id }) => {
      w().removeNetwork(id);
      return OK;
    },
    'wallet.selectNetwork': ({ id }) => w().view(w().networks.select(id)),
    'wallet.networkState': ({ id }) => w().networkState(id),
    'wallet.tokens': ({ networkId }) => w().tokenList(networkId),
    'wallet.tokenInfo': ({ address, networkId }) => w().tokenInfo(address, networkId),
    'wallet.addToken': ({ address, networkId }) => w().addToken(address, networkId),
    'wallet.removeToken': ({ address, networkId }) => {
      w().removeToken(address, networkId);
      return OK;
    },
    'wallet.balances': (i) => w().balances(i),
    'wallet.quote': (i) => w().quote(i),
    'wallet.send': ({ confirm: _confirm, ...i }) => w().send(i),
    'wallet.replace': ({ hash, action }) => w().replace(hash, action),
    'wallet.quoteCall': (i) => w().quoteCall(i, KNOWN_ERRORS),
    'wallet.sendCall': ({ confirm: _confirm, ...i }) => w().sendCall(i, KNOWN_ERRORS),
    'wallet.activity': (i) => w().activity(i),
    'wallet.receive': (i) => w().receive(i),
  };
}
