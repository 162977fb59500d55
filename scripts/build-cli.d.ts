export const ROOT: string;
/** Builds the CLI into `outDir` (default dist/); resolves to the folder and the source files it was built from. */
export function buildCli(options?: { outDir?: string }): Promise<{ outDir: string; inputs: string[] }>;
