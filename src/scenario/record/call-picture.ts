/**
 * A picture of one call as SVG (hand-written, no dependencies): on one time
 * axis, the states the call went through, the prompts the IVR played, the
 * waveforms of both sides (min/max envelope per pixel column) and the digits
 * the decoder heard, with the scenario's expectations at the bottom. Long
 * quiet stretches cut from the recording show as a break in the axis.
 */
import type { CallStateName, PromptName } from '../../flow/names.ts';
import { sampleAt } from './call-recording.ts';
import { formatClock, formatDuration } from '../duration.ts';
import type { CallRecording, TimelineEvent } from '../scenario-result.ts';
import { RowPacker } from './row-packer.ts';
import { spans } from './timeline-spans.ts';

export interface CallPictureInput {
  readonly recording: CallRecording;
  /** The scenario's timeline; only this call's events are drawn. */
  readonly timeline: readonly TimelineEvent[];
  readonly scenarioName: string;
  readonly scenarioFile: string;
}

const MARGIN_LEFT = 104;
const MARGIN_RIGHT = 28;
const PX_PER_SECOND = 64;
const MIN_PLOT = 760;
const MAX_PLOT = 2600;

const LANES = {
  axis: 74,
  state: 92,
  prompt: 126,
  ivr: 168,
  /** Two rows of digit badges sit between the waveforms. */
  digits: 250,
  caller: 292,
  expect: 380,
  laneHeight: 26,
  waveHeight: 76,
  bottom: 452,
} as const;

const STATE_COLOURS: Record<CallStateName, string> = {
  greeting: '#e2e8f0',
  'collecting-conference-id': '#bfdbfe',
  'leader-question': '#ddd6fe',
  'collecting-pin': '#fde68a',
  'verifying-pin': '#fcd34d',
  'changing-pin': '#fbcfe8',
  lobby: '#a5f3fc',
  'in-meeting': '#bbf7d0',
  'locked-out': '#fecaca',
  disconnected: '#e5e7eb',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fixed = (value: number) => (Math.round(value * 10) / 10).toString();

/** Fits `text` into `width` px of 11 px text (about 6.1 px a character), or returns ''. */
function fit(text: string, width: number): string {
  const chars = Math.floor((width - 8) / 6.1);
  if (chars >= text.length) return text;
  if (chars < 4) return '';
  return `${text.slice(0, chars - 1)}…`;
}

/** A tick step in ms that leaves at least `minPx` between labels. */
function tickStep(pxPerMs: number, minPx: number): number {
  for (const step of [500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000]) {
    if (step * pxPerMs >= minPx) return step;
  }
  return 1_800_000;
}

export function renderCallPicture(input: CallPictureInput): string {
  const layout = pictureLayout(input);
  const { recording } = input;
  const lines = [
    ...frame(layout, input.scenarioName),
    ...heading(layout, input),
    ...timeAxis(layout),
    ...laneLabels(),
    ...stateLane(layout),
    ...promptLane(layout),
    ...waveform(layout, recording.ivr, LANES.ivr, '#c4b5fd', '#7c3aed'),
    ...waveform(layout, recording.caller, LANES.caller, '#fdba74', '#ea580c'),
    ...digitLane(layout),
    ...expectationLane(layout),
    ...cutMarks(layout),
    '</svg>',
  ];
  return lines.join('\n') + '\n';
}

/** The picture's size and scales: the recording's samples spread over the plot's width. */
interface PictureLayout {
  readonly recording: CallRecording;
  /** This call's events. */
  readonly events: readonly TimelineEvent[];
  /** Samples in the recording (at least 1). */
  readonly total: number;
  readonly plotWidth: number;
  readonly width: number;
  /** Top and bottom of the grid lines and cut marks. */
  readonly top: number;
  readonly bottom: number;
  xOfSample(sample: number): number;
  /** Where a scenario time is; times inside a cut land on the cut. */
  xOf(ms: number): number;
}

function pictureLayout(input: CallPictureInput): PictureLayout {
  const { recording } = input;
  const total = Math.max(1, recording.caller.length);
  const plotWidth = Math.round(Math.min(MAX_PLOT, Math.max(MIN_PLOT, (total / recording.sampleRate) * PX_PER_SECOND)));
  const xOfSample = (sample: number) => MARGIN_LEFT + (sample / total) * plotWidth;
  return {
    recording,
    events: input.timeline.filter((event) => event.call === recording.call),
    total,
    plotWidth,
    width: MARGIN_LEFT + plotWidth + MARGIN_RIGHT,
    top: LANES.state - 4,
    bottom: LANES.expect + 44,
    xOfSample,
    xOf: (ms) => xOfSample(sampleAt(recording, ms)),
  };
}

function frame({ width, recording }: PictureLayout, scenarioName: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LANES.bottom}" viewBox="0 0 ${width} ${LANES.bottom}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${escape(`${recording.call}: ${scenarioName}`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${LANES.bottom}" fill="#ffffff"/>`,
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${LANES.bottom - 1}" rx="10" fill="#f8fafc" stroke="#e2e8f0"/>`,
  ];
}

/** The call, who placed it, when, and from which scenario. */
function heading({ recording, events }: PictureLayout, input: CallPictureInput): string[] {
  const from = events.find((event) => event.type === 'call-started');
  const caller = from && from.type === 'call-started' && from.from !== undefined ? ` from ${from.from}` : '';
  const span = `${formatClock(recording.startMs)} – ${formatClock(recording.endMs)}`;
  return [
    `<text x="20" y="28" font-size="16" font-weight="600" fill="#0f172a">${escape(`call ${recording.call}${caller}`)}</text>`,
    `<text x="20" y="47" fill="#475569">${escape(`${input.scenarioName} · ${span} · ${input.scenarioFile}`)}${recording.truncated ? ' · recording truncated' : ''}</text>`,
  ];
}

/** Time axis: ticks per continuous stretch between cuts, each with a grid line across the lanes. */
function timeAxis({ recording, total, plotWidth, top, bottom, xOf }: PictureLayout): string[] {
  const pxPerMs = plotWidth / ((total * 1000) / recording.sampleRate);
  const step = tickStep(pxPerMs, 64);
  const out = [`<line x1="${MARGIN_LEFT}" y1="${LANES.axis}" x2="${MARGIN_LEFT + plotWidth}" y2="${LANES.axis}" stroke="#94a3b8"/>`];
  for (const stretch of stretchesBetweenCuts(recording)) {
    for (let ms = Math.ceil(stretch.fromMs / step) * step; ms <= stretch.toMs; ms += step) {
      const x = fixed(xOf(ms));
      out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e2e8f0"/>`);
      out.push(`<line x1="${x}" y1="${LANES.axis - 4}" x2="${x}" y2="${LANES.axis}" stroke="#94a3b8"/>`);
      out.push(`<text x="${x}" y="${LANES.axis - 7}" text-anchor="middle" fill="#64748b" font-size="10">${formatClock(ms, step % 1000 === 0 ? 's' : 'ms')}</text>`);
    }
  }
  return out;
}

/** The scenario times the recording covers without a cut. */
function stretchesBetweenCuts(recording: CallRecording): { fromMs: number; toMs: number }[] {
  const stretches: { fromMs: number; toMs: number }[] = [];
  let stretchStart = recording.startMs;
  let skipped = 0;
  for (const cut of recording.cuts) {
    const cutMs = recording.startMs + skipped + (cut.atSample * 1000) / recording.sampleRate;
    stretches.push({ fromMs: stretchStart, toMs: cutMs });
    skipped += cut.skippedMs;
    stretchStart = cutMs + cut.skippedMs;
  }
  stretches.push({ fromMs: stretchStart, toMs: recording.endMs });
  return stretches;
}

function laneLabels(): string[] {
  const out: string[] = [];
  const label = (y: number, text: string, sub?: string) => {
    out.push(`<text x="${MARGIN_LEFT - 12}" y="${y}" text-anchor="end" fill="#334155" font-weight="600">${text}</text>`);
    if (sub) out.push(`<text x="${MARGIN_LEFT - 12}" y="${y + 13}" text-anchor="end" fill="#94a3b8" font-size="10">${sub}</text>`);
  };
  label(LANES.state + 17, 'state');
  label(LANES.prompt + 17, 'IVR plays');
  label(LANES.ivr + LANES.waveHeight / 2 - 2, 'IVR audio', 'right channel');
  label(LANES.caller + LANES.waveHeight / 2 - 2, 'caller audio', 'left channel');
  label(LANES.digits + 14, 'digits', 'as decoded');
  label(LANES.expect + 17, 'expect');
  return out;
}

/** The states the call went through, one coloured block each. */
function stateLane({ recording, events, xOf }: PictureLayout): string[] {
  const out: string[] = [];
  const states = spans<CallStateName>(events, recording.endMs, (event) => (event.type === 'state-entered' ? event.state : undefined), () => false);
  for (const { value, fromMs, toMs } of states) {
    const x = xOf(fromMs);
    const w = Math.max(1.5, xOf(toMs) - x);
    out.push(`<g><title>${escape(`${value} ${formatClock(fromMs)}–${formatClock(toMs)}`)}</title><rect x="${fixed(x)}" y="${LANES.state}" width="${fixed(w)}" height="${LANES.laneHeight}" rx="4" fill="${STATE_COLOURS[value]}" stroke="#ffffff"/>`);
    const text = fit(value, w);
    if (text) out.push(`<text x="${fixed(x + 5)}" y="${LANES.state + 17}" fill="#1e293b">${escape(text)}</text>`);
    out.push('</g>');
  }
  return out;
}

/** The prompts the IVR played, from start to their end, barge-in or hang-up. */
function promptLane({ recording, events, xOf }: PictureLayout): string[] {
  const out: string[] = [];
  const prompts = spans<PromptName>(
    events,
    recording.endMs,
    (event) => (event.type === 'prompt-started' ? event.prompt : undefined),
    (event, open) => (event.type === 'prompt-stopped' && event.prompt === open) || event.type === 'hung-up',
  );
  for (const { value, fromMs, toMs } of prompts) {
    const music = value === 'hold-music';
    const x = xOf(fromMs);
    const w = Math.max(1.5, xOf(toMs) - x);
    out.push(`<g><title>${escape(`${value} ${formatClock(fromMs)}–${formatClock(toMs)}`)}</title><rect x="${fixed(x)}" y="${LANES.prompt}" width="${fixed(w)}" height="${LANES.laneHeight}" rx="4" fill="${music ? '#ccfbf1' : '#ede9fe'}" stroke="${music ? '#14b8a6' : '#8b5cf6'}"/>`);
    const text = fit(music ? '♪ hold music' : value, w);
    if (text) out.push(`<text x="${fixed(x + 5)}" y="${LANES.prompt + 17}" fill="${music ? '#115e59' : '#4c1d95'}">${escape(text)}</text>`);
    out.push('</g>');
  }
  return out;
}

/** One side's waveform as a min/max envelope per pixel column, scaled to its own peak. */
function waveform({ plotWidth }: PictureLayout, samples: Int16Array, y: number, fill: string, stroke: string): string[] {
  const height = LANES.waveHeight;
  let peak = 2000;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
  const mid = y + height / 2;
  const scale = (height / 2 - 3) / peak;
  const upper: string[] = [];
  const lower: string[] = [];
  for (let column = 0; column < plotWidth; column++) {
    const from = Math.floor((column * samples.length) / plotWidth);
    const to = Math.max(from + 1, Math.floor(((column + 1) * samples.length) / plotWidth));
    let low = 0;
    let high = 0;
    for (let i = from; i < to && i < samples.length; i++) {
      const value = samples[i]!;
      if (value < low) low = value;
      if (value > high) high = value;
    }
    const x = fixed(MARGIN_LEFT + column + 0.5);
    upper.push(`${x},${fixed(mid - Math.max(0.5, high * scale))}`);
    lower.push(`${x},${fixed(mid - Math.min(-0.5, low * scale))}`);
  }
  return [
    `<rect x="${MARGIN_LEFT}" y="${y}" width="${plotWidth}" height="${height}" rx="4" fill="#ffffff" stroke="#e2e8f0"/>`,
    `<line x1="${MARGIN_LEFT}" y1="${mid}" x2="${MARGIN_LEFT + plotWidth}" y2="${mid}" stroke="#e2e8f0"/>`,
    `<path d="M${upper.join('L')}L${lower.reverse().join('L')}Z" fill="${fill}" stroke="${stroke}" stroke-width="0.6"/>`,
  ];
}

/** Digits: the tone's span over the caller's waveform and a badge above it. */
function digitLane({ events, xOf }: PictureLayout): string[] {
  const out: string[] = [];
  const badges = new RowPacker(2);
  for (const event of events) {
    if (event.type !== 'digit-heard') continue;
    const x1 = xOf(event.toneStartMs);
    const x2 = Math.max(x1 + 1.5, xOf(event.toneEndMs));
    const cx = (x1 + x2) / 2;
    const row = badges.place(cx - 9, 18);
    const cy = LANES.digits + 10 + row * 20;
    out.push(`<g><title>${escape(`digit ${event.digit}: tone ${formatClock(event.toneStartMs)}–${formatClock(event.toneEndMs)}, heard at ${formatClock(event.atMs)}`)}</title>`);
    out.push(`<rect x="${fixed(x1)}" y="${LANES.caller}" width="${fixed(x2 - x1)}" height="${LANES.waveHeight}" fill="#facc15" opacity="0.35"/>`);
    out.push(`<line x1="${fixed(cx)}" y1="${cy + 8}" x2="${fixed(cx)}" y2="${LANES.caller}" stroke="#f59e0b" stroke-width="1"/>`);
    out.push(`<circle cx="${fixed(cx)}" cy="${cy}" r="8.5" fill="#f59e0b"/>`);
    out.push(`<text x="${fixed(cx)}" y="${cy + 4}" text-anchor="middle" fill="#ffffff" font-weight="700">${escape(event.digit)}</text></g>`);
  }
  return out;
}

/** Expectations, on up to three rows so that neighbours do not collide. */
function expectationLane({ events, plotWidth, xOf }: PictureLayout): string[] {
  const out: string[] = [];
  const rows = new RowPacker(3);
  const plotEnd = MARGIN_LEFT + plotWidth;
  for (const event of events) {
    if (event.type !== 'expect') continue;
    const x = xOf(event.atMs);
    const text = `${event.passed ? '✓' : '✗'} ${event.expectation}`;
    const textWidth = 5.6 * text.length;
    const leftwards = x + textWidth > plotEnd;
    const row = rows.place(leftwards ? x - textWidth : x, textWidth + 8);
    const y = LANES.expect + 12 + row * 15;
    const colour = event.passed ? '#15803d' : '#b91c1c';
    out.push(`<g><title>${escape(event.passed ? text : `${text} — ${event.problem ?? ''}`)}</title>`);
    out.push(`<line x1="${fixed(x)}" y1="${LANES.caller + LANES.waveHeight}" x2="${fixed(x)}" y2="${y - 9}" stroke="${colour}" stroke-dasharray="2 2" opacity="0.6"/>`);
    out.push(`<circle cx="${fixed(x)}" cy="${y - 4}" r="2.5" fill="${colour}"/>`);
    out.push(`<text x="${fixed(leftwards ? x - 5 : x + 5)}" y="${y}" text-anchor="${leftwards ? 'end' : 'start'}" fill="${colour}" font-size="10">${escape(text)}</text></g>`);
  }
  return out;
}

/** Cuts: a break in the axis across every lane, with how much time it leaves out. */
function cutMarks({ recording, top, bottom, xOfSample }: PictureLayout): string[] {
  const out: string[] = [];
  for (const cut of recording.cuts) {
    const x = xOfSample(cut.atSample);
    const zig = Array.from({ length: 12 }, (_, i) => `${fixed(x + (i % 2 === 0 ? -3 : 3))},${fixed(top + (i * (bottom - top)) / 11)}`).join(' ');
    out.push(`<polyline points="${zig}" fill="none" stroke="#ffffff" stroke-width="6"/>`);
    out.push(`<polyline points="${zig}" fill="none" stroke="#64748b" stroke-width="1.2"/>`);
    out.push(`<text x="${fixed(x)}" y="${bottom + 14}" text-anchor="middle" fill="#64748b" font-size="10">${escape(`${formatDuration(cut.skippedMs)} not shown`)}</text>`);
  }
  return out;
}
