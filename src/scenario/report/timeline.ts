/**
 * A scenario's timeline as text, one event a line, readable at a glance:
 *
 *     0:40.120  amos   prompt    enter-pin
 *     0:41.600  amos   press     24680#  (heard 24680#)
 *     0:42.940  amos   ✓ expect  state in-meeting
 *
 * The same lines, with volatile detail removed, make the golden transcript
 * (transcript.ts).
 */
import { formatClock } from '../duration.ts';
import type { ScenarioResult, TimelineEvent } from '../scenario-result.ts';

export interface TimelineFormat {
  /** ANSI colours (only for a terminal). */
  color: boolean;
  /** Show each digit the decoder heard on its own line (the run view) or not (the transcript). */
  digits: boolean;
  /** Show prompts that played to their end. */
  finishedPrompts: boolean;
  /** Time precision: ms for the run view, whole seconds for the transcript. */
  precision: 'ms' | 's';
}

export const RUN_FORMAT: TimelineFormat = { color: false, digits: true, finishedPrompts: false, precision: 'ms' };

const ANSI = {
  reset: '\u001b[0m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
} as const;
type Colour = keyof typeof ANSI;

export function paint(text: string, colour: Colour, enabled: boolean): string {
  return enabled ? `${ANSI[colour]}${text}${ANSI.reset}` : text;
}

/** Where a failure was written: `scenarios/x.yaml:14`, or `line 14` when the file is not known. */
function location(line: number, file: string | undefined, color: boolean): string {
  return paint(`(${file === undefined ? `line ${line}` : `${file}:${line}`})`, 'dim', color);
}

/**
 * What an event says, as [label, detail, colour]; undefined for events the
 * format leaves out. Failures name their line in `file`.
 */
export function describeEvent(event: TimelineEvent, format: TimelineFormat, file?: string): [string, string, Colour] | undefined {
  switch (event.type) {
    case 'call-started':
      return ['call', event.from === undefined ? 'placed' : `from ${event.from}`, 'bold'];
    case 'state-entered':
      return ['state', event.state, 'cyan'];
    case 'prompt-started':
      return ['prompt', event.prompt, 'magenta'];
    case 'prompt-stopped':
      if (event.reason === 'finished' && !format.finishedPrompts) return undefined;
      if (event.reason === 'interrupted' && !format.digits) return undefined;
      return ['stopped', `${event.prompt} (${event.reason})`, 'dim'];
    case 'digit-heard':
      if (!format.digits) return undefined;
      return ['digit', `${event.digit}  ${paint(`tone ${formatClock(event.toneStartMs)}–${formatClock(event.toneEndMs)}`, 'dim', format.color)}`, 'yellow'];
    case 'admitted':
      return ['admitted', `to ${event.conference}`, 'green'];
    case 'meeting-started':
      return ['meeting', `${event.conference} started`, 'green'];
    case 'pin-checked':
      return ['pin', event.outcome === 'accepted' && event.mustChange ? 'accepted, must be changed' : event.outcome, event.outcome === 'accepted' ? 'green' : 'yellow'];
    case 'pin-change-rejected':
      return ['pin', `new PIN refused (rule ${event.rule})`, 'yellow'];
    case 'lobby-entered':
      return ['lobby', `waiting for ${event.conference} (position ${event.position})`, 'cyan'];
    case 'meeting-ended':
      return ['meeting', `${event.conference} ended (${event.reason})`, 'bold'];
    case 'hung-up':
      return ['hung up', event.by === 'caller' ? 'by the caller' : `by the IVR (${event.reason})`, 'bold'];
    case 'step': {
      const heard = event.heard === undefined || event.step === 'wait' ? '' : `  (heard ${event.heard === '' ? 'nothing' : event.heard})`;
      return [event.step, `${event.detail}${heard}`, 'blue'];
    }
    case 'expect':
      return event.passed
        ? ['✓ expect', event.expectation, 'green']
        : ['✗ expect', `${event.expectation} — ${event.problem ?? 'not met'}  ${location(event.line, file, format.color)}`, 'red'];
    case 'step-failed':
      return ['✗ step', `${event.detail}  ${location(event.line, file, format.color)}`, 'red'];
  }
}

/** The timeline's lines, without a header. */
export function formatTimeline(result: Pick<ScenarioResult, 'timeline'> & Partial<Pick<ScenarioResult, 'file'>>, format: TimelineFormat = RUN_FORMAT): string[] {
  const callWidth = Math.max(4, ...result.timeline.map((event) => (event.call ?? '').length));
  const clockWidth = Math.max(...result.timeline.map((event) => formatClock(event.atMs, format.precision).length), 4);
  const lines: string[] = [];
  for (const event of result.timeline) {
    const described = describeEvent(event, format, result.file);
    if (!described) continue;
    const [label, detail, colour] = described;
    const clock = formatClock(event.atMs, format.precision).padStart(clockWidth);
    const call = (event.call ?? '').padEnd(callWidth);
    lines.push(`  ${paint(clock, 'dim', format.color)}  ${call}  ${paint(label.padEnd(9), colour, format.color)} ${detail}`.trimEnd());
  }
  return lines;
}

/** The final expectations (those without a call), one line each. */
export function formatFinalExpectations(result: ScenarioResult, color: boolean): string[] {
  return result.expectations
    .filter((expectation) => expectation.call === undefined)
    .map((expectation) =>
      expectation.passed
        ? `  ${paint('✓', 'green', color)} ${expectation.expectation}`
        : `  ${paint('✗', 'red', color)} ${expectation.expectation} — ${expectation.problem ?? 'not met'}  ${location(expectation.line, result.file, color)}`,
    );
}

/** The whole report of one run, as `dialin-sim run` prints it. */
export function formatRun(result: ScenarioResult, color: boolean): string[] {
  const failed = result.expectations.filter((expectation) => !expectation.passed).length;
  const verdict = result.passed
    ? paint(`✓ passed`, 'green', color)
    : paint(`✗ failed (${failed} of ${result.expectations.length} expectations)`, 'red', color);
  return [
    `${paint(result.name, 'bold', color)}  ${paint(result.file, 'dim', color)}`,
    ...formatTimeline(result, { ...RUN_FORMAT, color }),
    ...(result.expectations.some((expectation) => expectation.call === undefined) ? ['  at the end:', ...formatFinalExpectations(result, color)] : []),
    `  ${verdict}  ${paint(`${formatClock(result.simulatedMs)} simulated in ${Math.round(result.wallMs)} ms`, 'dim', color)}`,
  ];
}
