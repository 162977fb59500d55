#!/usr/bin/env node
/**
 * Builds the CLI once into JavaScript (dist/), so that `dialin-sim` starts
 * without compiling TypeScript: `npm install` and `npm ci` run this as the
 * `prepare` script. bin/dialin-sim.js runs the bundle only while
 * dist/stamp.json shows that every source file it was built from is
 * unchanged (see bin/cli-bundle.js); otherwise it runs src/ through tsx.
 *
 * Plain JavaScript, so that it runs on a fresh clone with nothing but node
 * and the installed esbuild.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Stands for the bundle's own `import.meta.url` while the source's are rewritten. */
const BUNDLE_URL = '__dialinSimBundleUrl__';

/** Modules that run in a process or thread of their own; each becomes `<name>.js` in the output folder. */
const ENTRY_POINTS = {
  cli: 'src/cli/main.ts',
  'decode-worker': 'src/cli/commands/decode-worker.ts',
};

/**
 * Source modules find their files (audio/prompts, src/web/public, the
 * browser client) relative to their own `import.meta.url`. In the bundle
 * each module keeps that meaning: `import.meta.url` becomes the source
 * file's URL, computed from the bundle's own location so the package can
 * move. One exception: `new URL('./x.ts', import.meta.url)` naming another
 * entry point (a worker) means that entry point's built file.
 */
function sourceLocations(outDir) {
  const entryFiles = new Map(Object.entries(ENTRY_POINTS).map(([name, path]) => [resolve(ROOT, path), name]));
  return {
    name: 'source-locations',
    setup(esbuild) {
      esbuild.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        let contents = await readFile(path, 'utf8');
        if (!contents.includes('import.meta.url')) return undefined;
        contents = contents.replace(/new URL\((['"])(\.\.?\/[^'"]+\.ts)\1, import\.meta\.url\)/g, (whole, _quote, target) => {
          const name = entryFiles.get(resolve(dirname(path), target));
          return name === undefined ? whole : `new URL(${JSON.stringify(`./${name}.js`)}, ${BUNDLE_URL})`;
        });
        const fromBundle = relative(outDir, path).split('\\').join('/');
        contents = contents
          .replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, ${BUNDLE_URL}).href`)
          .replaceAll(BUNDLE_URL, 'import.meta.url');
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Builds into `outDir` (default dist/): the entry points, their shared
 * chunks, and stamp.json listing each source file with its size and mtime.
 * Packages stay external (native addons, esbuild itself), loaded from
 * node_modules as from source. The stamp is written last, so a build that
 * fails half way leaves no stamp and the bundle is not used.
 */
export async function buildCli({ outDir = join(ROOT, 'dist') } = {}) {
  const stampFile = join(outDir, 'stamp.json');
  await rm(stampFile, { force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: outDir,
    bundle: true,
    splitting: true, // commands stay lazily loaded, each with its own packages
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [sourceLocations(outDir)],
  });
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs).sort()) {
    const info = await stat(join(ROOT, input));
    inputs[input] = { size: info.size, mtimeMs: info.mtimeMs };
  }
  const stamp = { root: relative(outDir, ROOT).split('\\').join('/') || '.', inputs };
  await mkdir(outDir, { recursive: true });
  const temporary = `${stampFile}.${process.pid}`;
  await writeFile(temporary, `${JSON.stringify(stamp, null, 1)}\n`);
  await rename(temporary, stampFile);
  return { outDir, inputs: Object.keys(inputs) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { outDir, inputs } = await buildCli();
  console.log(`dialin-sim: built ${relative(process.cwd(), outDir) || '.'}/ from ${inputs.length} source files`);
}
