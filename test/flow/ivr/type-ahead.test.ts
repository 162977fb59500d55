import { describe, expect, it } from 'vitest';
import { MAX_TYPE_AHEAD_KEYS } from '../../../src/flow/ivr/type-ahead.ts';
import { IvrHarness, settle } from '../ivr-harness.ts';

/** Keys pressed while the conference lookup is still running: `*` (the leader), `padding` letter keys, the PIN and `#`. */
async function typeAheadOfLookup(padding: number) {
  const h = new IvrHarness();
  h.ivr.startCall({ callId: 'c1' });
  h.keys('c1', '1234#');
  h.directory.pause();
  h.keys('c1', `*${'A'.repeat(padding)}5678#`);
  h.directory.resume();
  await settle();
  return h;
}

describe('type-ahead', () => {
  it('replays the keys of a lookup in order once it is over', async () => {
    const h = await typeAheadOfLookup(0);
    expect(h.directory.count('verifyLeaderPin')).toBe(1);
    expect(h.playing('c1')).toBe('meeting-started');
  });

  it(`keeps at most ${MAX_TYPE_AHEAD_KEYS} keys and drops the ones after them`, async () => {
    // The `*`, the padding and the PIN's first digits fill the buffer: the rest of the PIN and its # are dropped.
    const h = await typeAheadOfLookup(MAX_TYPE_AHEAD_KEYS - 3);
    expect(h.directory.count('verifyLeaderPin')).toBe(0);
    expect(h.ivr.callState('c1')).toBe('collecting-pin');
  });
});
