/**
 * @module renderer/features/chat/payments/use-payment-options
 * The pickers' data for a payment dialog: our networks (starting on the selected one), the
 * tokens followed on the chosen network, and — for sends — the balance there. Each load is
 * tied to the network it was made for, so a quick switch never shows the previous network's
 * tokens.
 */
import { useEffect, useState } from 'react';
import type { WalletBalancesT, WalletNetworkT, WalletTokenT } from '../../../../src-preload/contract';
import { errorText } from '../../../lib/errors';
import { loadBalances, loadNetworks, loadTokens } from './payment-actions';
import { defaultNetwork } from './payment-labels';

export type PaymentOptions = {
  networks: WalletNetworkT[];
  networkId: string;
  setNetworkId(id: string): void;
  tokens: WalletTokenT[];
  balances: WalletBalancesT | null;
  loading: boolean;
  error: string | null;
};

export function usePaymentOptions(withBalance: boolean): PaymentOptions {
  const [networks, setNetworks] = useState<WalletNetworkT[]>([]);
  const [networkId, setNetworkId] = useState('');
  const [tokens, setTokens] = useState<{ networkId: string; items: WalletTokenT[] }>({ networkId: '', items: [] });
  const [balances, setBalances] = useState<WalletBalancesT | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadNetworks()
      .then((list) => {
        if (!live) return;
        setNetworks(list);
        setNetworkId((current) => current || defaultNetwork(list)?.id || '');
        if (list.length === 0) setError('Add a network in the Wallet first.');
      })
      .catch((e: unknown) => live && setError(errorText(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!networkId) return;
    let live = true;
    loadTokens(networkId)
      .then((items) => live && setTokens({ networkId, items }))
      .catch(() => live && setTokens({ networkId, items: [] }));
    if (withBalance) {
      setBalances(null);
      loadBalances(networkId)
        .then((b) => live && setBalances(b))
        .catch(() => live && setBalances(null));
    }
    return () => {
      live = false;
    };
  }, [networkId, withBalance]);

  return {
    networks,
    networkId,
    setNetworkId,
    tokens: tokens.networkId === networkId ? tokens.items : [],
    balances: balances && balances.networkId === networkId ? balances : null,
    loading,
    error,
  };
}
