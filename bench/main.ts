/**
 * `npm run bench`: every benchmark section in one run, printed as Markdown,
 * each with the machine it ran on. `npm run bench -- decoder` runs one
 * section; `--readme` also writes what it printed into README.md's
 * "Measured" section, between that section's markers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { formatSection, ReadmeMarkerError, replaceSection, type Machine } from './readme-section.ts';
import { isSectionName, SECTIONS, type BenchModule, type SectionName } from './sections.ts';

const README = new URL('../README.md', import.meta.url);

const args = process.argv.slice(2);
const writeReadme = args.includes('--readme');
const names = args.filter((arg) => arg !== '--readme');
const unknown = names.filter((name) => !isSectionName(name));
if (unknown.length > 0) {
  console.error(`bench: unknown section or flag ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}; flag: --readme`);
  process.exit(2);
}

const machine: Machine = {
  cpuModel: cpus()[0]?.model.trim() ?? 'an unknown CPU',
  cores: cpus().length,
  node: process.version,
  platform: `${process.platform}/${process.arch}`,
};

const printed = new Map<SectionName, string>();
for (const [name, load] of Object.entries(SECTIONS) as [SectionName, (typeof SECTIONS)[SectionName]][]) {
  if (names.length > 0 && !names.includes(name)) continue;
  const section = (await load()) as BenchModule<unknown>;
  const text = formatSection(section.title, machine, section.render(await section.measure()));
  console.log(`${text}\n`);
  printed.set(name, text);
}

if (writeReadme) {
  try {
    let readme = readFileSync(README, 'utf8');
    for (const [name, text] of printed) readme = replaceSection(readme, name, text);
    writeFileSync(README, readme);
    console.error(`bench: wrote ${[...printed.keys()].join(', ')} into README.md`);
  } catch (error) {
    if (!(error instanceof ReadmeMarkerError)) throw error;
    console.error(`bench: ${error.message}`);
    process.exit(1);
  }
}
