/**
 * Golden transcripts: a scenario's story, saved next to it as
 * `<name>.transcript` and compared on every `dialin-sim test`.
 *
 * The transcript keeps what a change to the call flow would change: which
 * prompts play, which states are entered, what each press was heard as,
 * admissions, hang-ups, barge-ins and the expectations, each stamped to the
 * whole simulated second. It leaves out what would make it brittle without
 * saying anything about the flow: wall-clock times, individual digit times
 * (a decoder refinement moves them by milliseconds; the `heard` text of each
 * press still catches a digit lost or added), prompts ending and prompts cut
 * off by the flow.
 */
import type { ScenarioResult } from '../scenario-result.ts';
import { formatFinalExpectations, formatTimeline, type TimelineFormat } from './timeline.ts';
import { unifiedDiff } from './line-diff.ts';

export const TRANSCRIPT_FORMAT: TimelineFormat = { color: false, digits: false, finishedPrompts: false, precision: 's' };

/** `scenarios/x.yaml` → `scenarios/x.transcript`. */
export function transcriptPathFor(scenarioFile: string): string {
  return scenarioFile.replace(/\.ya?ml$/i, '') + '.transcript';
}

/** The transcript text (ends with a newline). */
export function formatTranscript(result: ScenarioResult): string {
  const finals = formatFinalExpectations(result, false);
  const lines = [
    `# ${result.name}`,
    `# golden transcript: dialin-sim test compares runs with it; dialin-sim test --update rewrites it`,
    '',
    ...formatTimeline(result, TRANSCRIPT_FORMAT),
    ...(finals.length > 0 ? ['  at the end:', ...finals] : []),
    `  ${result.passed ? 'passed' : 'failed'}`,
  ];
  return lines.join('\n') + '\n';
}

export interface TranscriptComparison {
  readonly equal: boolean;
  /** Unified diff lines from the golden transcript to this run's. */
  readonly diff: readonly string[];
}

/** Compares a run's transcript with the golden one (line endings normalised). */
export function compareTranscript(golden: string, actual: string, goldenLabel: string): TranscriptComparison {
  const split = (text: string) => text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const diff = unifiedDiff(split(golden), split(actual), { beforeLabel: `${goldenLabel} (golden)`, afterLabel: 'this run', context: 3 });
  return { equal: diff.length === 0, diff };
}
