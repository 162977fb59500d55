/**
 * Writes the README's screenshots: a softphone waiting in the lobby of the
 * demo conference, on a desktop and on a 390×844 phone screen, and the
 * monitor with two callers in that lobby. Runs the real server and headless
 * Chromium, like the end-to-end tests.
 *
 *   npx tsx test/web/make-screenshots.ts [out-dir]   (default test/web/screenshots)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addNoise, toInt16 } from '../../src/dsp/dtmf-generator.ts';
import { dbm0ToPower } from '../../src/dsp/levels.ts';
import { startServer } from '../../src/server/server.ts';
import { writeWav } from '../../src/wav/wav-writer.ts';
import { launchBrowser } from './browser.ts';
import { clickKeys, dial, typeKeys, waitForState } from './softphone-driver.ts';

const outDir = process.argv[2] ?? fileURLToPath(new URL('./screenshots/', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'dialin-sim-shots-'));
const noise = new Float32Array(48000);
addNoise(noise, dbm0ToPower(-50), 5);
const roomWav = join(work, 'room.wav');
await writeFile(roomWav, writeWav({ sampleRate: 48000, samples: toInt16(noise) }));

const server = await startServer({ port: 0, host: '127.0.0.1', db: ':memory:', log: () => undefined });
const browser = await launchBrowser({ microphoneWav: { file: roomWav, loop: true }, viewport: { width: 1280, height: 760 } });
try {
  await mkdir(outDir, { recursive: true });
  const callers = [
    { from: '+15550101', keys: typeKeys },
    { from: '+15550102', keys: clickKeys },
  ];
  const pages = [];
  for (const { from, keys } of callers) {
    const page = await browser.newPage();
    await page.goto(server.url);
    await dial(page, { from, microphone: true });
    await waitForState(page, 'collecting-conference-id');
    await keys(page, '123456#');
    await waitForState(page, 'leader-question');
    await keys(page, '#');
    await waitForState(page, 'lobby');
    pages.push(page);
  }
  const softphone = pages[0]!;
  await softphone.waitForSelector('#prompt-name:text("hold-music")', { timeout: 15_000 });
  await softphone.waitForSelector('#conferences [data-list="lobby"] li:nth-child(2)[data-call-id]');
  await softphone.bringToFront();
  await softphone.screenshot({ path: join(outDir, 'softphone-lobby.png') });
  const phone = pages[1]!;
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.bringToFront();
  await phone.waitForSelector('#prompt-name:text("hold-music")', { timeout: 15_000 });
  await phone.screenshot({ path: join(outDir, 'softphone-phone.png') });

  const monitor = await browser.newPage();
  await monitor.setViewportSize({ width: 1000, height: 420 });
  await monitor.goto(`${server.url}/monitor.html`);
  await monitor.waitForSelector('#conferences [data-list="lobby"] li:nth-child(2)[data-call-id]');
  await monitor.screenshot({ path: join(outDir, 'monitor-lobby.png') });
  for (const page of pages) await page.click('#call-button');
  console.log(`wrote softphone-lobby.png, softphone-phone.png and monitor-lobby.png in ${outDir}`);
} finally {
  await browser.close();
  await server.close();
  await rm(work, { recursive: true, force: true });
}
