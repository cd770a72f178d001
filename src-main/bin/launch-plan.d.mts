/** Types for launch-plan.mjs. */
export declare const NOTICES: { downloadFailed: string; nativeFailed: string; requested: string };
export declare const FETCH_TIMEOUT_MS: number;
export declare const HEADLESS_FLAG: '--headless';
export type LaunchFacts = {
  forceHeadless?: boolean;
  electronPresent: boolean;
  fetchAttempted?: boolean;
  nativeReady?: boolean;
  nativeBuildAttempted?: boolean;
};
export type LaunchStep =
  | { action: 'fetch-electron' }
  | { action: 'build-native' }
  | { action: 'electron' }
  | { action: 'headless'; notice: string };
export declare function decideLaunch(f: LaunchFacts): LaunchStep;
export declare function requiredOutputs(root: string): string[];
export declare function needsBuild(root: string, exists: (p: string) => boolean): boolean;
export declare function electronExecutable(a: {
  root: string;
  env?: Record<string, string | undefined>;
  readText: (p: string) => string | null;
  exists: (p: string) => boolean;
}): string | null;
export declare function parseLauncherArgs(
  args: string[],
  env?: Record<string, string | undefined>,
): { forceHeadless: boolean; forwarded: string[] };
export declare function headlessCommand(root: string, forwarded: string[], profileDir: string): string[];
export declare function electronCommand(root: string, forwarded: string[]): string[];
export declare function electronEnv(env: Record<string, string | undefined>): Record<string, string | undefined>;
export declare function relayedSignals(platform: string, interactive: boolean): NodeJS.Signals[];
export declare function exitCodeFor(code: number | null, signal: string | null, signalNumbers?: Record<string, number>): number;
