import { UsageError } from '../../errors.ts';
import { callMachine } from '../../flow/call-machine.ts';
import { conferenceMachine } from '../../flow/conference-machine.ts';
import { machineToMermaid } from '../../flow/mermaid.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const MACHINES = { call: callMachine, conference: conferenceMachine } as const;
type MachineName = keyof typeof MACHINES;
const FORMATS = ['mermaid', 'markdown'] as const;

const usage = `usage: dialin-sim graph [--format mermaid|markdown] [--machine call|conference]

Print the state machines of the dial-in flow as Mermaid stateDiagram-v2,
derived from the machine definitions themselves.

Options:
  --format mermaid    plain Mermaid, one diagram per machine, each after a
                      '%% <name> machine' comment line (default)
  --format markdown   each diagram in a \`\`\`mermaid fence under a heading
  --machine NAME      only the 'call' or the 'conference' machine`;

export const command: Command = {
  summary: 'print the call and conference machines as Mermaid diagrams',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string', default: 'mermaid', expects: 'mermaid or markdown' },
      machine: { type: 'string', expects: 'call or conference' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const format = values.format;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be ${FORMATS.join(' or ')}, got '${format}'`);
    }
    const names = Object.keys(MACHINES) as MachineName[];
    if (values.machine !== undefined && !names.includes(values.machine as MachineName)) {
      throw new UsageError(`--machine must be ${names.join(' or ')}, got '${values.machine}'`);
    }
    const selected = values.machine === undefined ? names : [values.machine as MachineName];
    selected.forEach((name, index) => {
      if (index > 0) io.out('');
      const diagram = machineToMermaid(MACHINES[name]).split('\n');
      if (format === 'markdown') {
        io.out(`### ${name} machine`);
        io.out('');
        io.out('```mermaid');
        diagram.forEach((line) => io.out(line));
        io.out('```');
      } else {
        io.out(`%% ${name} machine`);
        diagram.forEach((line) => io.out(line));
      }
    });
    return 0;
  },
};
