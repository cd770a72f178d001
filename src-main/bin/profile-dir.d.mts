/** Types for profile-dir.mjs (plain JS so the launcher can run before any build). */
export declare const APP_DIR_NAME: 'BitUnicom';
export declare function defaultProfileDir(opts?: {
  platform?: string;
  env?: Record<string, string | undefined>;
  home?: string;
}): string;
