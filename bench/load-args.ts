/**
 * `npm run load`'s command line: call counts for the steps, the
 * protocols calls take in turn (`--mix a,b`, `--protocol p` for one alone,
 * or LOAD_MIX), `--workers N` for the server and `--generators K` for
 * the callers' side. Pure: the caller passes
 * argv and the environment.
 */
import { DialinError } from '../src/errors.ts';
import { LOAD_PROTOCOLS, type LoadProtocol } from './load-call.ts';

export class LoadArgsError extends DialinError {
  constructor(message: string) {
    super('E_LOAD_ARGS', message);
  }
}

export interface LoadArgs {
  /** Concurrent calls of each step, in order; `defaultSteps` when none is named. */
  steps: number[];
  /** Call i takes mix[i % mix.length]. */
  mix: LoadProtocol[];
  /** Processes the server runs its calls on (`serve --workers N`); undefined when not asked for. */
  workers?: number | undefined;
  /** Load-generator processes the calls are split over (`--generators K`); undefined when not asked for. */
  generators?: number | undefined;
}

function protocols(text: string, from: string): LoadProtocol[] {
  return text.split(',').map((name) => {
    if (!(LOAD_PROTOCOLS as readonly string[]).includes(name)) throw new LoadArgsError(`${from}: unknown protocol '${name}' (one of ${LOAD_PROTOCOLS.join(', ')})`);
    return name as LoadProtocol;
  });
}

export function parseLoadArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>, defaultSteps: readonly number[]): LoadArgs {
  let mix = protocols(env['LOAD_MIX'] ?? LOAD_PROTOCOLS.join(','), 'LOAD_MIX');
  const steps: number[] = [];
  let workers: number | undefined;
  let generators: number | undefined;
  const count = (flag: string, value: string | undefined) => {
    if (value === undefined || !/^[1-9]\d*$/.test(value)) throw new LoadArgsError(`${flag} needs a positive integer (got ${value === undefined ? 'nothing' : `'${value}'`})`);
    return Number(value);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--workers') workers = count(arg, args[++i]);
    else if (arg === '--generators') generators = count(arg, args[++i]);
    else if (arg === '--mix' || arg === '--protocol') {
      const value = args[++i];
      if (value === undefined) throw new LoadArgsError(`${arg} needs a value`);
      mix = protocols(value, arg);
      if (arg === '--protocol' && mix.length !== 1) throw new LoadArgsError(`--protocol takes one protocol (got '${value}'); --mix takes several`);
    } else if (/^[1-9]\d*$/.test(arg)) steps.push(Number(arg));
    else throw new LoadArgsError(`'${arg}' is neither a call count (a positive integer) nor --mix, --protocol, --workers or --generators`);
  }
  return { steps: steps.length > 0 ? steps : [...defaultSteps], mix, ...(workers !== undefined ? { workers } : {}), ...(generators !== undefined ? { generators } : {}) };
}
