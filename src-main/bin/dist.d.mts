/** Types for dist.mjs. */
export declare const NO_ELECTRON: string;
export declare const NO_BUILDER: string;
export declare const BUILDER_CONFIG: string;
export type DistPlan = { action: 'refuse'; message: string } | { action: 'package'; buildNative: boolean; builderArgs: string[] };
export declare function decideDist(f: { root: string; electronExe: string | null; builderCli: string | null; nativeReady: boolean; forwarded?: string[] }): DistPlan;
