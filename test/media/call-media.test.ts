import { describe, expect, it } from 'vitest';
import { PROMPTS, type PromptName } from '../../src/flow/names.ts';
import { CallMedia, type PromptFinished } from '../../src/media/call-media.ts';
import { PromptLibrary } from '../../src/media/prompt-library.ts';

/** Prompt i is a recognisable non-zero pattern, so silence and splices show. */
function patternLibrary(lengths: Partial<Record<PromptName, number>> = {}): PromptLibrary {
  const prompts = new Map<PromptName, Int16Array>();
  PROMPTS.forEach((name, index) => {
    const length = lengths[name] ?? 800 + 37 * index;
    const samples = new Int16Array(length);
    for (let i = 0; i < length; i++) samples[i] = (index + 1) * 1000 + (i % 251) + 1;
    prompts.set(name, samples);
  });
  return new PromptLibrary(prompts, 8000);
}

/** Renders `total` samples in blocks of the given sizes (cycled), collecting output and reports. */
function renderInBlocks(media: CallMedia, total: number, sizes: number[]): { audio: Int16Array; finished: PromptFinished[]; blockStarts: number[] } {
  const audio = new Int16Array(total);
  const finished: PromptFinished[] = [];
  const blockStarts: number[] = [];
  let position = 0;
  for (let b = 0; position < total; b++) {
    const size = Math.min(sizes[b % sizes.length]!, total - position);
    const block = new Int16Array(size).fill(-7);
    const report = media.render(block);
    audio.set(block, position);
    for (const item of report.finished) {
      finished.push(item);
      blockStarts.push(position);
    }
    position += size;
  }
  return { audio, finished, blockStarts };
}

describe('CallMedia', () => {
  it('skips samples exactly as rendering them would, for a spoken prompt and for looped hold music', () => {
    const library = patternLibrary({ welcome: 1000, 'hold-music': 300 });
    for (const prompt of ['welcome', 'hold-music'] as const) {
      const rendered = new CallMedia(library);
      const skipped = new CallMedia(library);
      rendered.play(prompt);
      skipped.play(prompt);
      rendered.render(new Int16Array(700));
      skipped.skip(700);
      expect(skipped.samplesRendered).toBe(rendered.samplesRendered);
      expect(skipped.positionMs).toBe(rendered.positionMs);
      expect(skipped.remainingSamples()).toBe(rendered.remainingSamples());
      const after = [rendered, skipped].map((media) => renderInBlocks(media, 500, [160]));
      expect(after[1]).toEqual(after[0]);
    }
  });

  it('reports what remains of a prompt, Infinity when looped or idle, and refuses to skip past its end', () => {
    const media = new CallMedia(patternLibrary({ welcome: 1000 }));
    expect(media.remainingSamples()).toBe(Infinity);
    media.skip(5000);
    expect(media.samplesRendered).toBe(5000);
    media.play('welcome');
    media.skip(999);
    expect(media.remainingSamples()).toBe(1);
    expect(() => media.skip(1)).toThrow(RangeError);
    expect(media.render(new Int16Array(1)).finished.map((item) => item.prompt)).toEqual(['welcome']);
    media.play('hold-music');
    expect(media.remainingSamples()).toBe(Infinity);
  });

  it('plays a prompt to its end and reports the sample where it ended', () => {
    const library = patternLibrary({ welcome: 1000 });
    const media = new CallMedia(library);
    media.play('welcome');
    const { audio, finished, blockStarts } = renderInBlocks(media, 1500, [160, 77, 333]);
    expect(finished).toHaveLength(1);
    expect(finished[0]!.prompt).toBe('welcome');
    expect(blockStarts[0]! + finished[0]!.offset).toBe(1000);
    expect(finished[0]!.endMs).toBe(125);
    expect(Array.from(audio.subarray(0, 1000))).toEqual(Array.from(library.get('welcome')));
    expect(audio.subarray(1000).every((v) => v === 0)).toBe(true);
    expect(media.nowPlaying()).toBeUndefined();
  });

  it('reports a prompt ending exactly at a block boundary in that block', () => {
    const media = new CallMedia(patternLibrary({ goodbye: 320 }));
    media.play('goodbye');
    expect(media.render(new Int16Array(160)).finished).toEqual([]);
    expect(media.render(new Int16Array(160)).finished).toEqual([{ prompt: 'goodbye', offset: 160, endMs: 40 }]);
    expect(media.render(new Int16Array(160)).finished).toEqual([]);
  });

  it('reports an empty prompt as finished at the start of the next block', () => {
    const media = new CallMedia(patternLibrary({ 'pin-changed': 0 }));
    media.render(new Int16Array(100));
    media.play('pin-changed');
    expect(media.render(new Int16Array(100)).finished).toEqual([{ prompt: 'pin-changed', offset: 0, endMs: 12.5 }]);
  });

  it('stops mid-prompt, returns what it stopped and then renders silence', () => {
    const library = patternLibrary();
    const media = new CallMedia(library);
    media.play('enter-pin');
    const block = new Int16Array(300);
    media.render(block);
    expect(media.positionMs).toBe(37.5);
    expect(media.stop()).toBe('enter-pin');
    expect(media.stop()).toBeUndefined();
    expect(media.positionMs).toBeUndefined();
    const report = media.render(block);
    expect(report.finished).toEqual([]);
    expect(block.every((v) => v === 0)).toBe(true);
  });

  it('replaces the playing prompt, returns it as interrupted and never reports it finished', () => {
    const library = patternLibrary({ 'enter-conference-id': 2000, 'invalid-conference-id': 500 });
    const media = new CallMedia(library);
    media.play('enter-conference-id');
    const first = new Int16Array(300);
    media.render(first);
    expect(media.play('invalid-conference-id')).toBe('enter-conference-id');
    expect(media.nowPlaying()).toBe('invalid-conference-id');
    const { audio, finished } = renderInBlocks(media, 3000, [250, 111]);
    expect(finished.map((f) => f.prompt)).toEqual(['invalid-conference-id']);
    expect(finished[0]!.endMs).toBe((300 + 500) / 8);
    expect(Array.from(audio.subarray(0, 500))).toEqual(Array.from(library.get('invalid-conference-id')));
  });

  it('loops hold music seamlessly across render calls until stopped', () => {
    const library = patternLibrary({ 'hold-music': 1234 });
    const media = new CallMedia(library);
    media.play('hold-music');
    const total = 1234 * 4 + 500;
    const { audio, finished } = renderInBlocks(media, total, [160, 999, 3, 480]);
    expect(finished).toEqual([]);
    const loop = library.get('hold-music');
    for (let i = 0; i < total; i++) {
      if (audio[i] !== loop[i % loop.length]) throw new Error(`sample ${i} differs from the loop`);
    }
    expect(media.positionMs).toBe(total / 8);
    expect(media.stop()).toBe('hold-music');
  });

  it('renders silence when nothing plays and counts rendered time', () => {
    const media = new CallMedia(patternLibrary());
    const block = new Int16Array(160).fill(123);
    expect(media.render(block).finished).toEqual([]);
    expect(block.every((v) => v === 0)).toBe(true);
    expect(media.nowPlaying()).toBeUndefined();
    media.render(new Int16Array(0));
    expect(media.samplesRendered).toBe(160);
    expect(media.renderedMs).toBe(20);
  });

  it('plays the same duration at 16 and 48 kHz output', () => {
    const library = patternLibrary({ 'joining-meeting': 1000 });
    for (const outputRate of [16000, 48000]) {
      const media = new CallMedia(library, { outputRate });
      media.play('joining-meeting');
      const blockSize = outputRate / 50;
      const { finished, blockStarts } = renderInBlocks(media, outputRate, [blockSize]);
      expect(finished).toHaveLength(1);
      expect(blockStarts[0]! + finished[0]!.offset).toBe((1000 * outputRate) / 8000);
      expect(finished[0]!.endMs).toBe(125);
      expect(media.library.get('joining-meeting')).toHaveLength((1000 * outputRate) / 8000);
    }
  });

  it('shares the prompt arrays between calls instead of copying them', () => {
    const library = patternLibrary();
    const a = new CallMedia(library);
    const b = new CallMedia(library);
    expect(a.library).toBe(library);
    expect(b.library.get('welcome')).toBe(library.get('welcome'));
    const wide1 = new CallMedia(library, { outputRate: 48000 });
    const wide2 = new CallMedia(library, { outputRate: 48000 });
    expect(wide1.library).toBe(wide2.library);
    expect(wide1.library.get('hold-music')).toBe(wide2.library.get('hold-music'));
    expect(wide1.library.atRate(8000)).toBe(library);
  });

  it('keeps a thousand playing calls far below 100 KB each', () => {
    const library = patternLibrary({ 'hold-music': 80_000, 'waiting-for-leader': 40_000 });
    library.atRate(16000);
    const before = process.memoryUsage();
    const calls: CallMedia[] = [];
    const block = new Int16Array(320);
    for (let i = 0; i < 1000; i++) {
      const media = new CallMedia(library, { outputRate: 16000 });
      media.play(i % 2 ? 'hold-music' : 'waiting-for-leader');
      media.render(block);
      calls.push(media);
    }
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    // Copying the prompts would cost about 160 KB or more per call.
    expect(grown / calls.length).toBeLessThan(20_000);
  });
});

describe('CallMedia shared frames', () => {
  it('hands out each whole frame-aligned block of a prompt as a view of the library’s own samples', () => {
    const library = patternLibrary({ welcome: 400 });
    const media = new CallMedia(library);
    media.play('welcome');
    const welcome = library.get('welcome');
    const blocks = [0, 1, 2].map(() => {
      const block = new Int16Array(160);
      return { block, shared: media.render(block).shared };
    });
    for (const [i, { block, shared }] of blocks.slice(0, 2).entries()) {
      expect(shared!.buffer).toBe(welcome.buffer);
      expect(shared!.byteOffset).toBe(welcome.byteOffset + i * 320);
      expect(Array.from(shared!)).toEqual(Array.from(block));
    }
    // The third block runs past the prompt's end (80 samples, then silence): it is this call's own.
    expect(blocks[2]!.shared).toBeUndefined();
  });

  it('shares silence, and shares hold music only where a block does not cross the loop point', () => {
    const library = patternLibrary({ 'hold-music': 400 });
    const media = new CallMedia(library);
    const idle = new Int16Array(160).fill(5);
    const silent = media.render(idle).shared!;
    expect(Array.from(silent).every((sample) => sample === 0)).toBe(true);
    expect(new CallMedia(library).render(new Int16Array(160)).shared).toBe(silent);
    media.play('hold-music');
    const shared = [0, 1, 2, 3, 4].map(() => media.render(new Int16Array(160)).shared);
    // Cursor 0, 160, then 320 (crosses 400), then 80 and 240: not on a frame boundary of the loop.
    expect(shared.map((view) => view !== undefined)).toEqual([true, true, false, false, false]);
  });

  it('renders a loop shorter than the block by wrapping as many times as it takes', () => {
    const library = patternLibrary({ 'hold-music': 70 });
    const media = new CallMedia(library);
    media.play('hold-music');
    const block = new Int16Array(160);
    media.render(block);
    const loop = library.get('hold-music');
    expect(Array.from(block)).toEqual(Array.from({ length: 160 }, (_, i) => loop[i % 70]));
  });
});
