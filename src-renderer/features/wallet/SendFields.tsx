/**
 * @module renderer/features/wallet/SendFields
 * The Send form's fields, controlled by SendDialog: recipient (address or friend), token,
 * amount with "Max" for tokens, fee tier and optional max fee in gwei.
 */
import type { ContactT, WalletBalancesT, WalletNetworkT } from '../../../src-preload/contract';
import { shortAddress } from '../../lib/format';
import { TextField } from '../../ui/TextField';
import { unitsToDecimal } from './wallet-format';
import type { Problems, SendForm, Tier } from './send-input';

type TokenBalanceRowT = WalletBalancesT['tokens'][number];

const TIERS: { key: Tier; label: string }[] = [
  { key: 'slow', label: 'Slow' },
  { key: 'normal', label: 'Normal' },
  { key: 'fast', label: 'Fast' },
];

type Props = {
  form: SendForm;
  setForm(patch: Partial<SendForm>): void;
  problems: Problems;
  friends: ContactT[];
  tokens: TokenBalanceRowT[];
  network: WalletNetworkT;
  disabled: boolean;
};

export function SendFields({ form, setForm, problems, friends, tokens, network, disabled }: Props) {
  const token = tokens.find((t) => t.address === form.token) ?? null;
  return (
    <>
      {friends.length > 0 && (
        <div className="wallet-segment" role="radiogroup" aria-label="Send to">
          {(['address', 'friend'] as const).map((m) => (
            <label key={m} className={`wallet-segment-opt${form.mode === m ? ' is-on' : ''}`}>
              <input type="radio" name="send-mode" checked={form.mode === m} onChange={() => setForm({ mode: m })} disabled={disabled} data-testid={`send-mode-${m}`} />
              {m === 'address' ? 'An address' : 'A friend'}
            </label>
          ))}
        </div>
      )}
      {form.mode === 'address' ? (
        <TextField label="To" value={form.to} error={problems.to} placeholder="0x…" className="mono" spellCheck={false} autoComplete="off" disabled={disabled} onChange={(e) => setForm({ to: e.target.value })} data-autofocus data-testid="send-to" />
      ) : (
        <div className={`field${problems.friend ? ' field-invalid' : ''}`}>
          <label className="field-label" htmlFor="wallet-send-friend">
            Friend
          </label>
          <select id="wallet-send-friend" className="input" value={form.friend} disabled={disabled} onChange={(e) => setForm({ friend: e.target.value })} data-testid="send-friend">
            <option value="">Choose a friend…</option>
            {friends.map((c) => (
              <option key={c.address} value={c.address}>
                {c.name} · {shortAddress(c.wallet)}
              </option>
            ))}
          </select>
          {problems.friend && <div className="field-error">{problems.friend}</div>}
        </div>
      )}
      <div className="field">
        <label className="field-label" htmlFor="wallet-send-token">
          Token
        </label>
        <select id="wallet-send-token" className="input" value={form.token} disabled={disabled} onChange={(e) => setForm({ token: e.target.value })} data-testid="send-token">
          <option value="">{network.symbol} (native)</option>
          {tokens.map((t) => (
            <option key={t.address} value={t.address}>
              {t.symbol}
              {t.balance ? ` · ${t.balance.formatted}` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="wallet-amount-row">
        <TextField
          label={`Amount (${token?.symbol ?? network.symbol})`}
          value={form.amount}
          error={problems.amount}
          inputMode="decimal"
          autoComplete="off"
          disabled={disabled}
          onChange={(e) => setForm({ amount: e.target.value })}
          data-testid="send-amount"
        />
        {token?.balance && (
          <button type="button" className="btn btn-ghost btn-sm wallet-max" disabled={disabled} onClick={() => setForm({ amount: unitsToDecimal(token.balance!.amount, token.decimals) })} data-testid="send-max">
            Max
          </button>
        )}
      </div>
      <fieldset className="wallet-fee" disabled={disabled}>
        <legend className="field-label">Fee</legend>
        <div className="wallet-segment" role="radiogroup" aria-label="Fee speed">
          {TIERS.map((t) => (
            <label key={t.key} className={`wallet-segment-opt${form.tier === t.key ? ' is-on' : ''}`}>
              <input type="radio" name="send-tier" checked={form.tier === t.key} onChange={() => setForm({ tier: t.key })} data-testid={`send-tier-${t.key}`} />
              {t.label}
            </label>
          ))}
        </div>
        <TextField
          label="Max fee (gwei per gas)"
          hint="Optional: leave empty to use the chosen speed."
          value={form.maxFeeGwei}
          error={problems.maxFee}
          inputMode="decimal"
          autoComplete="off"
          onChange={(e) => setForm({ maxFeeGwei: e.target.value })}
          data-testid="send-max-fee"
        />
      </fieldset>
    </>
  );
}
