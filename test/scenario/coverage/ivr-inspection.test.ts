import { describe, expect, it } from 'vitest';
import { callMachine } from '../../../src/flow/call-machine.ts';
import { CoverageRecorder } from '../../../src/scenario/coverage/coverage-recorder.ts';
import { runScenarioFile } from '../../../src/scenario/run/run-scenario.ts';

describe('coverage of real runs', () => {
  it("is measured through the Ivr's XState inspect option", async () => {
    const recorder = new CoverageRecorder(callMachine);
    const result = await runScenarioFile('scenarios/three-wrong-pins-hangs-up.yaml', { inspect: recorder.inspect });
    expect(result.passed).toBe(true);
    expect(recorder.events, 'createIvr must pass IvrConfig.inspect to createActor for its call and conference actors').toBeGreaterThan(0);
    expect(recorder.states.has('verifying-pin.checking')).toBe(true);
  });
});
