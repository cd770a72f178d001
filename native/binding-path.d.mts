/** Types for binding-path.mjs. */
export declare function normalizeElectronVersion(version: string): string;
export declare function electronBindingDir(root: string, electronVersion: string): string;
export declare function electronBindingPath(root: string, electronVersion: string): string;
