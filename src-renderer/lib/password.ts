/**
 * @module renderer/lib/password
 * A strength hint for new passwords (not a policy: the node only requires 8 characters,
 * `NewPassword` in the contract). The estimate is deliberately simple — character-class
 * entropy with penalties for repeats, sequences and very common passwords — in the spirit
 * of NIST SP 800-63B §5.1.1.2 (length matters most, block known-bad choices).
 */
export const MIN_PASSWORD = 8;

export type Strength = { score: 0 | 1 | 2 | 3 | 4; label: string; hint: string };

const COMMON = [
  'password', 'passw0rd', '12345678', '123456789', '1234567890', 'qwertyui', 'qwerty123', 'iloveyou',
  'abc12345', '11111111', '00000000', 'letmein1', 'welcome1', 'sunshine', 'football', 'baseball',
  'princess', 'dragon12', 'monkey12', 'bitunicom',
];

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm'];

function hasSequence(pw: string): boolean {
  const lower = pw.toLowerCase();
  for (const seq of SEQUENCES) {
    for (let i = 0; i + 4 <= seq.length; i++) {
      const part = seq.slice(i, i + 4);
      if (lower.includes(part) || lower.includes([...part].reverse().join(''))) return true;
    }
  }
  return false;
}

export function entropyBits(pw: string): number {
  let pool = 0;
  if (/[a-z]/.test(pw)) pool += 26;
  if (/[A-Z]/.test(pw)) pool += 26;
  if (/[0-9]/.test(pw)) pool += 10;
  if (/[^A-Za-z0-9]/.test(pw)) pool += 33;
  const unique = new Set(pw).size;
  // Repeated characters add little: count each distinct char fully, repeats at a quarter.
  const effectiveLength = unique + (pw.length - unique) / 4;
  let bits = effectiveLength * Math.log2(Math.max(pool, 1));
  if (hasSequence(pw)) bits -= 12;
  return Math.max(0, bits);
}

export function passwordStrength(pw: string): Strength {
  if (pw.length === 0) return { score: 0, label: '', hint: `Use at least ${MIN_PASSWORD} characters.` };
  if (pw.length < MIN_PASSWORD) {
    const left = MIN_PASSWORD - pw.length;
    return { score: 0, label: 'Too short', hint: `${left} more character${left === 1 ? '' : 's'} needed.` };
  }
  if (COMMON.some((c) => pw.toLowerCase().includes(c))) {
    return { score: 1, label: 'Weak', hint: 'This password is very common. Pick something less guessable.' };
  }
  const bits = entropyBits(pw);
  if (bits < 36) return { score: 1, label: 'Weak', hint: 'Add more words or mix in numbers and symbols.' };
  if (bits < 50) return { score: 2, label: 'Fair', hint: 'A longer passphrase would be harder to guess.' };
  if (bits < 70) return { score: 3, label: 'Good', hint: 'Good. A few more characters make it even stronger.' };
  return { score: 4, label: 'Strong', hint: 'Strong password.' };
}
