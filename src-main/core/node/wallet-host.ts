/**
 * @module node/wallet-host
 * The node's wallet: a `WalletService` (core/wallet) opened on unlock from the vault's secret
 * (the BIP-39 phrase: the wallet's HD accounts and the chat identity come from the same
 * backup) and closed — keys wiped — on lock. Its files are in `<profile>/wallet/`; imported
 * keys are sealed under the vault's database key.
 *
 * The embedded devnet is the built-in network, preselected, reached at the chain's loopback
 * RPC URL like any other network; its test token (deployed in the genesis) is listed by
 * default. A friend's wallet address comes from the chat contact's signed profile.
 */
import { join } from 'node:path';
import type { Logger } from '../base';
import type { UnlockedVault } from '../account';
import { devnetSection } from '../chain';
import { WalletService, parseAddress, type BuiltinNetwork } from '../wallet';
import { devnetChainId, type ChainHost } from './chain-host';
import { readProfile } from './profile';

export const DEVNET_NETWORK_ID = 'devnet';
const TEST_TOKEN_ARTIFACT = 'BitUnicomTestToken';

export type WalletHostOptions = {
  dataDir: string;
  chain: ChainHost;
  logger: Logger;
  friendWallet: (identity: string) => { address: string; name: string } | null;
  pollMs?: number;
};

function devnetNetwork(chain: ChainHost, dataDir: string): BuiltinNetwork {
  const s = chain.running;
  return {
    id: DEVNET_NETWORK_ID,
    chainId: s ? Number(s.ledger.chainId) : devnetChainId(readProfile(dataDir)?.wallet ?? '0x0000'),
    name: 'BitUnicom devnet',
    symbol: 'BU',
    currencyName: 'BitUnicom',
    rpcUrl: chain.rpcUrl ?? 'http://127.0.0.1:8545',
    builtin: true,
  };
}

function devnetTokens(chain: ChainHost) {
  const g = chain.running?.ledger.genesis;
  const section = g ? devnetSection(g) : null;
  return (section?.contracts ?? [])
    .filter((c) => c.artifact === TEST_TOKEN_ARTIFACT && typeof c.address === 'string')
    .map((c) => ({ address: parseAddress(c.address!, 'The test token'), symbol: String(c.args[1] ?? 'tBUT'), name: String(c.args[0] ?? 'BitUnicom Test Token'), decimals: 18 }));
}

export async function openWallet(o: WalletHostOptions, vault: UnlockedVault): Promise<WalletService> {
  const w = await WalletService.open({
    dir: join(o.dataDir, 'wallet'),
    secret: vault.secret,
    wrapKey: vault.dbKey,
    builtin: [devnetNetwork(o.chain, o.dataDir)],
    defaultTokens: (id) => (id === DEVNET_NETWORK_ID ? devnetTokens(o.chain) : []),
    friendWallet: o.friendWallet,
    logger: o.logger,
    pollMs: o.pollMs,
  });
  return w.start();
}
