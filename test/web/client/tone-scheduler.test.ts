import { describe, expect, it } from 'vitest';
import { checkKeyToneOptions, DEFAULT_KEY_TONE_OPTIONS, SCHEDULE_LEAD_S, toneAmplitude, ToneScheduler } from '../../../src/web/client/tone-scheduler.ts';

describe('ToneScheduler', () => {
  const options = DEFAULT_KEY_TONE_OPTIONS;

  it('starts a key just ahead of now with the Q.23 pair of that key', () => {
    const tone = new ToneScheduler().schedule('5', 10, options);
    expect(tone).toMatchObject({ key: '5', lowHz: 770, highHz: 1336 });
    expect(tone.startS).toBeCloseTo(10 + SCHEDULE_LEAD_S, 9);
    expect(tone.stopS - tone.startS).toBeCloseTo(0.1, 9);
  });

  it('queues keys pressed faster than tone plus gap so each keeps its full tone and gap', () => {
    const scheduler = new ToneScheduler();
    const tones = ['1', '2', '3'].map((key, i) => scheduler.schedule(key as '1', 5 + i * 0.01, options));
    for (let i = 1; i < tones.length; i++) {
      expect(tones[i]!.startS - tones[i - 1]!.stopS).toBeCloseTo(0.1, 9);
      expect(tones[i]!.stopS - tones[i]!.startS).toBeCloseTo(0.1, 9);
    }
    expect(scheduler.pending(5.05)).toHaveLength(3);
    expect(scheduler.pending(tones[0]!.stopS)).toHaveLength(2);
  });

  it('starts a key at once when the previous tone and gap are over', () => {
    const scheduler = new ToneScheduler();
    scheduler.schedule('1', 1, options);
    const later = scheduler.schedule('2', 2, options);
    expect(later.startS).toBeCloseTo(2 + SCHEDULE_LEAD_S, 9);
  });

  it('uses the tone length and gap in force when each key is pressed', () => {
    const scheduler = new ToneScheduler();
    const fast = { onMs: 40, offMs: 40, levelDbm0: -10 };
    const first = scheduler.schedule('9', 0, fast);
    const second = scheduler.schedule('#', 0, fast);
    expect(second.startS - first.startS).toBeCloseTo(0.08, 9);
    expect(second.stopS - second.startS).toBeCloseTo(0.04, 9);
  });

  it('sets each sine to the level asked in dBm0 (0 dBm0 = 3.14 dB below full scale)', () => {
    expect(toneAmplitude(-10)).toBeCloseTo(10 ** (-3.14 / 20) * 10 ** (-10 / 20), 12);
    expect(new ToneScheduler().schedule('D', 0, { ...options, levelDbm0: -25 }).amplitude).toBeCloseTo(toneAmplitude(-25), 12);
  });

  it('forgets the queue on reset', () => {
    const scheduler = new ToneScheduler();
    scheduler.schedule('1', 0, options);
    scheduler.reset();
    expect(scheduler.pending(0)).toHaveLength(0);
    expect(scheduler.schedule('2', 0, options).startS).toBeCloseTo(SCHEDULE_LEAD_S, 9);
  });

  it('names the control that is out of range', () => {
    expect(checkKeyToneOptions(options)).toBeUndefined();
    expect(checkKeyToneOptions({ ...options, onMs: 5 })).toMatch(/onMs must be from 20 to 1000, got 5/);
    expect(checkKeyToneOptions({ ...options, levelDbm0: 3 })).toMatch(/levelDbm0/);
    expect(checkKeyToneOptions({ ...options, offMs: Number.NaN })).toMatch(/offMs/);
  });
});
