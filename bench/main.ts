/**
 * `npm run bench`: every benchmark section in one run, printed as Markdown
 * (the README's measured tables come from this output). `npm run bench --
 * decoder` runs one section.
 */
export interface BenchSection {
  title: string;
  lines: string[];
}

const SECTIONS: Record<string, () => Promise<{ runBench(): Promise<BenchSection> }>> = {
  decoder: () => import('./decoder.ts'),
  flow: () => import('./flow.ts'),
  directory: () => import('./directory.ts'),
  scenarios: () => import('./scenarios.ts'),
  startup: () => import('./startup.ts'),
  'decode-process': () => import('./decode-process.ts'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}

console.log(`# dialin-sim benchmark\n`);
console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${(await import('node:os')).cpus().length} cores\n`);
for (const [name, load] of Object.entries(SECTIONS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const section = await (await load()).runBench();
  console.log(`## ${section.title}\n`);
  console.log(section.lines.join('\n'));
  console.log('');
}
