/**
 * The demo deployment of `serve` with no --config: its organizer's PIN is
 * generated once per database (setFirstPin; two processes setting it at
 * once: test/directory/persistence.test.ts).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { DEMO_DEPLOYMENT, ensureDemoDeployment } from '../../src/server/demo-deployment.ts';
import { FAST_COST, tempDir } from '../directory/helpers.ts';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

describe('the demo deployment', () => {
  it('generates the organizer PIN on the first start and leaves it alone on the next', async () => {
    const file = join(temp.dir, 'demo.db');
    const first = await PinDirectory.open(file, { hashCost: FAST_COST });
    const { newPin } = await ensureDemoDeployment(first);
    expect(newPin).toMatch(/^\d{5,}$/);
    expect(await ensureDemoDeployment(first)).toEqual({ newPin: undefined });
    await first.close();
    const again = await PinDirectory.open(file, { hashCost: FAST_COST });
    expect(await ensureDemoDeployment(again)).toEqual({ newPin: undefined });
    expect(await again.verifyLeaderPin(DEMO_DEPLOYMENT.conference.id, newPin!)).toMatchObject({ outcome: 'accepted' });
    await again.close();
  });
});
