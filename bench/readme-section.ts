/**
 * The README's "Measured" section as `npm run bench` prints it: each bench
 * section is a block between `<!-- bench:NAME:begin -->` and
 * `<!-- bench:NAME:end -->`, which `npm run bench -- --readme` replaces with
 * exactly what it printed. Pure: the caller reads and writes the file.
 */

export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
}

export function machineLine(machine: Machine): string {
  return `Measured on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}.`;
}

/** One bench section as printed: heading, the machine it ran on, its lines. */
export function formatSection(title: string, machine: Machine, lines: readonly string[]): string {
  return [`### ${title}`, '', machineLine(machine), '', ...lines].join('\n');
}

const begin = (name: string) => `<!-- bench:${name}:begin -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

export class ReadmeMarkerError extends Error {
  readonly code = 'E_README_MARKERS';
}

function span(readme: string, name: string): { from: number; to: number } {
  const from = readme.indexOf(begin(name));
  const to = readme.indexOf(end(name));
  if (from < 0 || to < from) throw new ReadmeMarkerError(`README.md: no '${begin(name)}' ... '${end(name)}' block for bench section '${name}'`);
  return { from: from + begin(name).length, to };
}

/** The text of section `name` between its markers, without the surrounding blank lines. */
export function sectionText(readme: string, name: string): string {
  const { from, to } = span(readme, name);
  return readme.slice(from, to).trim();
}

/** `readme` with section `name`'s block replaced by `text`. */
export function replaceSection(readme: string, name: string, text: string): string {
  const { from, to } = span(readme, name);
  return `${readme.slice(0, from)}\n${text.trim()}\n${readme.slice(to)}`;
}

/** Any number, as "#": the shape of a text is what stays when the measurements change. */
const normalise = (text: string) => text.trim().replace(/[+-]?\d[\d,]*(\.\d+)?/g, '#');

/**
 * The shape of Markdown bench output: headings and prose lines, each table's
 * header and alignment rows, and the first cell (the row label) of every
 * other row, all with numbers replaced by '#'; the machine line only as
 * "machine".
 */
export function markdownShape(text: string): string[] {
  const shape: string[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const isRow = trimmed.startsWith('|');
    if (trimmed === '') {
      // blank lines separate blocks but carry no shape
    } else if (trimmed.startsWith('Measured on ')) {
      shape.push('machine');
    } else if (isRow && (!inTable || /^\|[\s|:-]+\|$/.test(trimmed))) {
      shape.push(`table ${normalise(trimmed)}`);
    } else if (isRow) {
      shape.push(`row ${normalise(trimmed.split('|')[1] ?? '')}`);
    } else {
      shape.push(normalise(trimmed));
    }
    inTable = isRow;
  }
  return shape;
}
