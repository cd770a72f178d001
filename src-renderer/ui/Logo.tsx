/**
 * @module renderer/ui/Logo
 * The BitUnicom mark: a speech bubble whose tail forms a link — two people, one channel.
 */
export function Logo({ size = 40 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <rect width="48" height="48" rx="14" className="logo-bg" />
      <path
        d="M24 11c-7.7 0-14 5.4-14 12.1 0 3.6 1.8 6.8 4.7 9L13.5 38l6.4-3.2c1.3.3 2.7.5 4.1.5 7.7 0 14-5.4 14-12.1S31.7 11 24 11z"
        className="logo-bubble"
      />
      <circle cx="18.5" cy="23" r="2.3" className="logo-dot" />
      <circle cx="29.5" cy="23" r="2.3" className="logo-dot" />
      <path d="M20.8 23h6.4" className="logo-link" />
    </svg>
  );
}
