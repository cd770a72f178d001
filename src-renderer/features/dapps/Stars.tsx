/**
 * @module renderer/features/dapps/Stars
 * Ratings as stars: `Stars` shows an average (halves rounded) with a text alternative;
 * `StarPicker` is a radio group of 1–5 (arrow keys move, as native radios do).
 */
import { useId } from 'react';
import { IconStar } from '../../ui/Icons';
import { starFills } from './dapp-format';

export function Stars({ average, count, size = 14 }: { average: number | null; count?: number; size?: number }) {
  const label = average === null || count === 0 ? 'Not rated yet' : `Rated ${average.toFixed(1)} out of 5`;
  return (
    <span className="stars" role="img" aria-label={label} title={label}>
      {starFills(average).map((f, i) => (
        <span key={i} className={`star star-${f}`}>
          <IconStar size={size} filled={f === 'full'} />
          {f === 'half' && (
            <span className="star-half-fill">
              <IconStar size={size} filled />
            </span>
          )}
        </span>
      ))}
      {count !== undefined && count > 0 && <span className="stars-count">({count})</span>}
    </span>
  );
}

const WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

export function StarPicker({ value, onChange, label }: { value: number; onChange(stars: number): void; label: string }) {
  const name = useId();
  return (
    <fieldset className="star-picker" data-testid="rate-stars">
      <legend className="visually-hidden">{label}</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label key={n} className={`star-pick${n <= value ? ' is-on' : ''}`} title={`${n} – ${WORDS[n]}`}>
          <input type="radio" name={name} value={n} checked={value === n} onChange={() => onChange(n)} data-testid={`rate-${n}`} />
          <IconStar size={30} filled={n <= value} />
          <span className="visually-hidden">
            {n} {n === 1 ? 'star' : 'stars'}, {WORDS[n]}
          </span>
        </label>
      ))}
      <span className="star-picker-word" aria-hidden="true">
        {WORDS[value] ?? ''}
      </span>
    </fieldset>
  );
}
