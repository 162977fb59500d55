/**
 * Whether the built CLI in dist/ may run: only while every source file it
 * was built from (listed in dist/stamp.json by scripts/build-cli.js) still
 * has the size and mtime it had then. An edited, added-to or missing
 * source means a stale bundle, and bin/dialin-sim.js runs src/ through tsx
 * instead; `npm run build` makes the bundle current again.
 */
import { readFileSync, statSync } from 'node:fs';

/** The URL of the bundle's entry in `distUrl` if it is current, else undefined. */
export function freshBundle(distUrl) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(new URL('stamp.json', distUrl), 'utf8'));
  } catch {
    return undefined; // never built, or a build in progress or failed
  }
  const root = new URL(`${stamp.root}/`, distUrl);
  for (const [path, { size, mtimeMs }] of Object.entries(stamp.inputs)) {
    const info = statSync(new URL(path, root), { throwIfNoEntry: false });
    if (!info || info.size !== size || info.mtimeMs !== mtimeMs) return undefined;
  }
  return new URL('cli.js', distUrl);
}
