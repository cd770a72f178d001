/**
 * @module renderer/features/onboarding/PasswordStrength
 * A four-segment meter with a one-line hint (lib/password); announced politely.
 */
import { passwordStrength } from '../../lib/password';

export function PasswordStrength({ password }: { password: string }) {
  const s = passwordStrength(password);
  return (
    <div className="strength" data-score={s.score} data-testid="password-strength">
      <div className="strength-bars" aria-hidden="true">
        {[1, 2, 3, 4].map((i) => (
          <span key={i} className={`strength-bar${s.score >= i ? ' on' : ''}`} />
        ))}
      </div>
      <div className="strength-text" aria-live="polite">
        {s.label && <strong>{s.label}. </strong>}
        {s.hint}
      </div>
    </div>
  );
}
