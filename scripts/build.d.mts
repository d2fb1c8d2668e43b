/** Bundles `entryPoints` ({ name: source }) into `outdir` (relative to the package root) as the Node entry points are bundled. */
export function bundle(entryPoints: Record<string, string>, outdir: string): Promise<void>;
export function build(): Promise<void>;
export const ENTRY_POINTS: Record<string, string>;
