/**
 * @module renderer/features/wallet/NetworkPicker
 * The header's network picker: each network with a state dot (connected / unreachable /
 * wrong chain, checked when the picker opens), switch by click, edit and remove for the
 * custom ones, and "Add network".
 */
import type { NetworkStateT, WalletNetworkT } from '../../../src-preload/contract';
import { toast } from '../../ui/toast-store';
import { networkStateLabel, networkStateTone } from './wallet-format';
import { openWalletDialog } from './wallet-dialogs';
import { checkAllNetworks, selectedNetwork, switchNetwork, useWalletStore } from './wallet-store';
import { Popover } from './Popover';

export function StateDot({ state }: { state: NetworkStateT | undefined }) {
  const label = state ? networkStateLabel(state.state) : 'Checking';
  const tone = state ? networkStateTone(state.state) : 'neutral';
  return <span className={`wallet-dot tone-${tone}`} title={state?.message ?? label} aria-label={label} data-testid="network-state" data-state={state?.state ?? 'checking'} role="img" />;
}

function NetworkRow({ n, state, close }: { n: WalletNetworkT; state: NetworkStateT | undefined; close(): void }) {
  return (
    <li className={`wallet-option${n.selected ? ' is-current' : ''}`} data-testid="network-option" data-network={n.id} data-name={n.name}>
      <button
        type="button"
        className="wallet-option-main"
        aria-current={n.selected || undefined}
        data-testid="network-switch"
        onClick={() => {
          close();
          if (!n.selected) switchNetwork(n.id).catch((e: unknown) => toast.error(e));
        }}
      >
        <span className="wallet-option-name">
          <StateDot state={state} /> {n.name}
        </span>
        <span className="wallet-option-sub">
          {n.symbol} · chain {n.chainId}
          {state && state.state !== 'ok' ? ` · ${networkStateLabel(state.state)}` : ''}
        </span>
      </button>
      {!n.builtin && (
        <span className="wallet-option-actions">
          <button type="button" className="link-btn" data-testid="network-edit" onClick={() => (close(), openWalletDialog({ kind: 'edit-network', network: n }))}>
            Edit
          </button>
          <button type="button" className="link-btn danger" data-testid="network-remove" onClick={() => (close(), openWalletDialog({ kind: 'remove-network', network: n }))}>
            Remove
          </button>
        </span>
      )}
    </li>
  );
}

export function NetworkPicker() {
  const networks = useWalletStore((s) => s.networks);
  const states = useWalletStore((s) => s.states);
  const current = selectedNetwork(networks);
  return (
    <Popover
      label="Choose a network"
      testId="network-picker"
      onOpen={checkAllNetworks}
      trigger={
        <>
          <span className="wallet-picker-name" data-testid="network-current">
            {current ? <StateDot state={current ? states[current.id] : undefined} /> : null} {current?.name ?? 'No network'}
          </span>
          <span className="wallet-picker-sub">{current ? `chain ${current.chainId}` : ''}</span>
        </>
      }
    >
      {(close) => (
        <>
          <ul className="wallet-options" aria-label="Networks">
            {networks.map((n) => (
              <NetworkRow key={n.id} n={n} state={states[n.id]} close={close} />
            ))}
          </ul>
          <div className="wallet-popover-actions">
            <button type="button" className="wallet-popover-action" data-testid="network-add" onClick={() => (close(), openWalletDialog({ kind: 'add-network' }))}>
              Add network
            </button>
          </div>
        </>
      )}
    </Popover>
  );
}
