/**
 * @module renderer/lib/color
 * A stable avatar colour per address: FNV-1a over the lower-cased address picks one of
 * AVATAR_COLORS palette slots (defined in styles/tokens.css as `.avatar[data-color=N]`),
 * so the same contact has the same colour on every device and no inline style is needed.
 */
export const AVATAR_COLORS = 12;

export function avatarColor(address: string | null | undefined): number {
  const s = (address ?? '').toLowerCase();
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % AVATAR_COLORS;
}
