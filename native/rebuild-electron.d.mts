/** Types for rebuild-electron.mjs (used by unit tests and start.mjs). */
export declare const MODULE_NAME: 'better-sqlite3-multiple-ciphers';
export declare const ELECTRON_HEADERS_URL: 'https://electronjs.org/headers';
export declare function gypEnv(env: Record<string, string | undefined>): Record<string, string>;
export type RebuildPlan = {
  electronVersion: string;
  sourceDir: string;
  workDir: string;
  builtFile: string;
  outFile: string;
  args: string[];
  env: Record<string, string>;
};
export declare function planRebuild(opts: {
  root: string;
  electronVersion: string;
  arch?: string;
  env?: Record<string, string | undefined>;
  nodeGyp?: string;
}): RebuildPlan;
export declare function findNodeGyp(opts: {
  root: string;
  env?: Record<string, string | undefined>;
  execPath?: string;
  exists?: (p: string) => boolean;
}): string | null;
export declare function rebuild(opts: { root: string; electronVersion?: string; force?: boolean; log?: (msg: string) => void }): number;
