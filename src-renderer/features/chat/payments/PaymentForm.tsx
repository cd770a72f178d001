/**
 * @module renderer/features/chat/payments/PaymentForm
 * The fields shared by "Send money" and "Request money": the friend's wallet (shown, never
 * typed), network, token (native or a followed ERC-20), amount, optional note and — for
 * sends — the fee tier. Controlled: the dialog owns the values.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { WalletTokenT } from '../../../../src-preload/contract';
import { shortAddress } from '../../../lib/format';
import { TextField } from '../../../ui/TextField';
import type { FeeTier } from './payment-actions';
import type { PaymentOptions } from './use-payment-options';

export const NOTE_MAX = 200;
const TIERS: { key: FeeTier; label: string }[] = [
  { key: 'slow', label: 'Slow' },
  { key: 'normal', label: 'Normal' },
  { key: 'fast', label: 'Fast' },
];

type Props = {
  options: PaymentOptions;
  /** Whose wallet receives, and its address ("Bob", 0x…). */
  party: { label: string; name: string; wallet: string | null };
  token: string | null;
  setToken(address: string | null): void;
  amount: string;
  setAmount(text: string): void;
  amountError: string | null;
  note: string;
  setNote(text: string): void;
  tier?: FeeTier;
  setTier?(tier: FeeTier): void;
  disabled?: boolean;
};

function SelectField({ label, value, onChange, children, testId, disabled }: { label: string; value: string; onChange(v: string): void; children: ReactNode; testId: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="input pay-select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled}>
        {children}
      </select>
    </div>
  );
}

export function selectedToken(tokens: WalletTokenT[], address: string | null): WalletTokenT | null {
  return address ? (tokens.find((t) => t.address.toLowerCase() === address.toLowerCase()) ?? null) : null;
}

export function PaymentForm(p: Props) {
  const { options } = p;
  const network = options.networks.find((n) => n.id === options.networkId) ?? null;
  const token = selectedToken(options.tokens, p.token);
  const symbol = token?.symbol ?? network?.symbol ?? '';
  const b = options.balances;
  const balance = token ? b?.tokens.find((t) => t.address.toLowerCase() === token.address.toLowerCase())?.balance : b?.native;
  const tierGroup = useId();

  return (
    <div className="pay-form">
      <div className="pay-party" data-testid="pay-party">
        <span className="pay-party-label">{p.party.label}</span>
        <span className="pay-party-name">{p.party.name}</span>
        <span className="mono pay-party-address" title={p.party.wallet ?? undefined} data-testid="pay-party-wallet">
          {p.party.wallet ? shortAddress(p.party.wallet) : 'Your profile’s wallet'}
        </span>
      </div>
      <div className="pay-row">
        <SelectField label="Network" value={options.networkId} onChange={(id) => { options.setNetworkId(id); p.setToken(null); }} testId="pay-network" disabled={p.disabled}>
          {options.networks.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Token" value={p.token ?? ''} onChange={(v) => p.setToken(v || null)} testId="pay-token" disabled={p.disabled}>
          <option value="">{network ? `${network.symbol} (native)` : 'Native'}</option>
          {options.tokens.map((t) => (
            <option key={t.address} value={t.address}>
              {t.symbol} · {t.name}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label={`Amount${symbol ? ` (${symbol})` : ''}`}
        inputMode="decimal"
        autoComplete="off"
        placeholder="0.0"
        value={p.amount}
        onChange={(e) => p.setAmount(e.target.value)}
        error={p.amountError}
        hint={p.setTier ? (balance ? `Balance: ${balance.formatted}` : b?.message ?? undefined) : undefined}
        data-testid="pay-amount"
        data-autofocus
        disabled={p.disabled}
        className="pay-amount-input"
      />
      <TextField
        label="Note (optional)"
        maxLength={NOTE_MAX}
        placeholder="What is it for?"
        value={p.note}
        onChange={(e) => p.setNote(e.target.value)}
        data-testid="pay-note"
        disabled={p.disabled}
      />
      {p.setTier && p.tier && (
        <fieldset className="pay-tiers" disabled={p.disabled}>
          <legend className="field-label">Fee</legend>
          <div className="segmented" role="radiogroup" aria-label="Fee">
            {TIERS.map((t) => (
              <label key={t.key} className={`segment${p.tier === t.key ? ' is-selected' : ''}`}>
                <input type="radio" className="visually-hidden" name={tierGroup} value={t.key} checked={p.tier === t.key} onChange={() => p.setTier?.(t.key)} data-testid={`pay-tier-${t.key}`} />
                {t.label}
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </div>
  );
}
