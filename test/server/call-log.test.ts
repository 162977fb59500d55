import { describe, expect, it } from 'vitest';
import { CallLog } from '../../src/server/call-log.ts';
import type { CallEvent } from '../../src/session/call-events.ts';

const digit = (d: string, at: number): CallEvent =>
  ({ event: 'digit-heard', digit: d, startMs: at, endMs: at + 100, source: 'in-band', callMs: at }) as CallEvent;
const state = (s: string): CallEvent => ({ event: 'state-entered', state: s, callMs: 0 }) as CallEvent;

describe('CallLog', () => {
  it('writes one line per event and masks every digit keyed while a PIN is being entered or changed', () => {
    const lines: string[] = [];
    const log = new CallLog((line) => lines.push(line), () => Date.UTC(2025, 0, 6, 9, 0, 0));
    log.event('c7', state('collecting-conference-id'));
    log.event('c7', digit('4', 0));
    log.event('c7', state('collecting-pin'));
    log.event('c7', digit('9', 200));
    log.event('c7', digit('#', 400));
    log.event('c7', state('changing-pin'));
    log.event('c7', digit('3', 600));
    log.event('c7', state('in-meeting'));
    log.event('c7', digit('1', 800));
    expect(lines).toEqual([
      '2025-01-06T09:00:00.000Z c7 state-entered collecting-conference-id',
      '2025-01-06T09:00:00.000Z c7 digit-heard 4 in-band 0.0-100.0ms',
      '2025-01-06T09:00:00.000Z c7 state-entered collecting-pin',
      '2025-01-06T09:00:00.000Z c7 digit-heard * in-band 200.0-300.0ms',
      '2025-01-06T09:00:00.000Z c7 digit-heard * in-band 400.0-500.0ms',
      '2025-01-06T09:00:00.000Z c7 state-entered changing-pin',
      '2025-01-06T09:00:00.000Z c7 digit-heard * in-band 600.0-700.0ms',
      '2025-01-06T09:00:00.000Z c7 state-entered in-meeting',
      '2025-01-06T09:00:00.000Z c7 digit-heard 1 in-band 800.0-900.0ms',
    ]);
  });

  it('keeps each call’s state apart', () => {
    const lines: string[] = [];
    const log = new CallLog((line) => lines.push(line));
    log.event('c1', state('collecting-pin'));
    log.event('c2', digit('5', 0));
    expect(lines[1]).toContain('c2 digit-heard 5 ');
  });
});
