import { describe, expect, it } from 'vitest';
import { CallLog, logText, logValue } from '../../src/server/call-log.ts';
import type { CallEvent } from '../../src/session/call-events.ts';

const digit = (d: string, at: number): CallEvent =>
  ({ event: 'digit-heard', digit: d, startMs: at, endMs: at + 100, source: 'in-band', callMs: at }) as CallEvent;
const state = (s: string): CallEvent => ({ event: 'state-entered', state: s, callMs: 0 }) as CallEvent;

function collect() {
  const lines: string[] = [];
  const log = new CallLog((line) => lines.push(line), () => Date.UTC(2025, 0, 6, 9, 0, 0));
  return { lines, log };
}

describe('CallLog', () => {
  it('writes one line per event and masks every digit key, showing only * and #', () => {
    const { lines, log } = collect();
    log.event('c7', state('collecting-conference-id'));
    log.event('c7', digit('4', 0));
    log.event('c7', digit('#', 200));
    log.event('c7', state('collecting-pin'));
    log.event('c7', digit('9', 400));
    log.event('c7', digit('*', 600));
    log.event('c7', digit('B', 800));
    expect(lines).toEqual([
      '2025-01-06T09:00:00.000Z c7 state-entered collecting-conference-id',
      '2025-01-06T09:00:00.000Z c7 digit-heard x in-band 0.0-100.0ms',
      '2025-01-06T09:00:00.000Z c7 digit-heard # in-band 200.0-300.0ms',
      '2025-01-06T09:00:00.000Z c7 state-entered collecting-pin',
      '2025-01-06T09:00:00.000Z c7 digit-heard x in-band 400.0-500.0ms',
      '2025-01-06T09:00:00.000Z c7 digit-heard * in-band 600.0-700.0ms',
      '2025-01-06T09:00:00.000Z c7 digit-heard x in-band 800.0-900.0ms',
    ]);
  });

  it('masks a PIN whose digits are logged before the flow reports collecting-pin', () => {
    const { lines, log } = collect();
    log.event('c1', state('collecting-conference-id'));
    for (const [i, key] of [...'123456#*97080#'].entries()) log.event('c1', digit(key, i * 120));
    log.event('c1', state('leader-question'));
    log.event('c1', state('collecting-pin'));
    const keys = lines.filter((line) => line.includes(' digit-heard ')).map((line) => line.split(' ')[3]);
    expect(keys.join('')).toBe('xxxxxx#*xxxxx#');
    expect(lines.join('\n')).not.toMatch(/[0-9]{5}/);
  });

  it('quotes and escapes a caller id that could forge a line', () => {
    const { lines, log } = collect();
    const forged = 'x\n2025-01-06T09:00:00.000Z c9 pin-checked accepted';
    log.event('c1', { event: 'call-started', callId: 'c1', sampleRate: 8000, protocol: 'native', from: forged, callMs: 0 });
    log.event('c2', { event: 'call-started', callId: 'c2', sampleRate: 8000, protocol: 'twilio', from: '+15550001', callMs: 0 });
    expect(lines).toEqual([
      '2025-01-06T09:00:00.000Z c1 call-started protocol=native rate=8000 from="x\\n2025-01-06T09:00:00.000Z c9 pin-checked accepted"',
      '2025-01-06T09:00:00.000Z c2 call-started protocol=twilio rate=8000 from=+15550001',
    ]);
  });

  it('keeps error messages and notes on one printable line of bounded length', () => {
    const { lines, log } = collect();
    log.event('c1', { event: 'error', code: 'E_UNKNOWN_EVENT', message: `unknown event "a\r\nb\u2028c${'z'.repeat(10_000)}"`, callMs: 1 });
    log.note('c1', 'socket error: bad\nframe');
    log.server('websocket client error: \u001b[31mred');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toMatch(/^[ -~]*$/);
      expect(line.length).toBeLessThan(400);
    }
    expect(lines[0]).toContain('E_UNKNOWN_EVENT unknown event "a\\u000d\\u000ab\\u2028c');
    expect(lines[1]).toBe('2025-01-06T09:00:00.000Z c1 socket error: bad\\u000aframe');
  });
});

describe('logValue', () => {
  it('writes plain tokens bare and anything else as an escaped JSON string', () => {
    expect(logValue('CA0123456789abcdef')).toBe('CA0123456789abcdef');
    expect(logValue('Amos Marble')).toBe('"Amos Marble"');
    expect(logValue('a=b')).toBe('"a=b"');
    expect(logValue('é\u202e')).toBe('"\\u00e9\\u202e"');
    expect(logValue('9'.repeat(100))).toBe(`${'9'.repeat(64)}...`);
  });

  it('leaves printable text alone in messages', () => {
    expect(logText('frame of 9000 bytes is over the limit')).toBe('frame of 9000 bytes is over the limit');
  });
});
