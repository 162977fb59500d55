/**
 * `--flow KEY=VALUE` on the command line (`run`, `test`, `serve`): flow
 * options changed (`--flow maxPinAttempts=2`, `--flow interDigitTimeoutMs=3s`;
 * a bare number is ms only for options named ...Ms, as in scenario files),
 * to see which behaviours depend on one or to run live calls with it.
 */
import { isDialinError, UsageError } from '../errors.ts';
import { DEFAULT_FLOW_OPTIONS, resolveFlowOptions, type FlowOptions } from '../flow/flow-options.ts';
import { parseDurationField } from '../scenario/duration.ts';

export function parseFlowOverrides(pairs: readonly string[]): Partial<FlowOptions> {
  const overrides: Record<string, number> = {};
  const known = Object.keys(DEFAULT_FLOW_OPTIONS);
  for (const pair of pairs) {
    const match = /^([A-Za-z]+)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`--flow expects KEY=VALUE, got '${pair}'`);
    const [, key, text] = match as unknown as [string, string, string];
    if (!known.includes(key)) throw new UsageError(`--flow: unknown flow option '${key}' (options: ${known.join(', ')})`);
    // The scenario file's rule: a bare number is ms only for options named ...Ms.
    let value = Number(text);
    if (key.endsWith('Ms')) {
      const parsed = parseDurationField(key, text);
      if ('problem' in parsed) throw new UsageError(`--flow ${key}: ${parsed.problem}`);
      value = parsed.ms;
    }
    if (!Number.isFinite(value)) throw new UsageError(`--flow ${key}: expected a number, got '${text}'`);
    overrides[key] = value;
  }
  try {
    resolveFlowOptions(overrides as Partial<FlowOptions>);
  } catch (error) {
    if (isDialinError(error)) throw new UsageError(`--flow: ${error.message}`);
    throw error;
  }
  return overrides as Partial<FlowOptions>;
}
