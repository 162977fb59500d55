/**
 * The files a scenario refers to: a deployment file and `play` recordings.
 * Reading goes through this interface so that tests can parse scenarios
 * from strings with files kept in memory.
 */
import { readFile } from 'node:fs/promises';
import { isDialinError } from '../../errors.ts';
import { DeploymentError } from '../../directory/errors.ts';
import { loadDeployment, type Deployment } from '../../directory/deployment.ts';
import { resample } from '../../dsp/resampler.ts';
import { readWav } from '../../wav/wav-reader.ts';
import { ScenarioError } from './scenario-error.ts';
import type { ScenarioDeployment } from './scenario-schema.ts';

export interface ScenarioFiles {
  readText(path: string): Promise<string>;
  /** The first channel of a WAV file as 16-bit samples at `sampleRate`. */
  readRecording(path: string, sampleRate: number): Promise<Int16Array>;
  /** Validates a deployment; `fileName` is used in its messages. */
  loadDeployment(text: string, fileName: string): ScenarioDeployment;
}

/** A deployment as the scenario runner holds it: the directory's value plus its ids. */
export function toScenarioDeployment(deployment: Deployment): ScenarioDeployment {
  return {
    value: deployment,
    file: deployment.file,
    ids: {
      users: new Set(deployment.users.map((user) => user.id)),
      conferences: new Map(deployment.conferences.map((conference) => [conference.id, { organizer: conference.organizerId }])),
    },
  };
}

/** A DeploymentError as the ScenarioError at the same file and line (each of its problems); anything else unchanged. */
export function asScenarioError(error: unknown): unknown {
  if (!(error instanceof DeploymentError)) return error;
  return ScenarioError.combine(
    error.problems.map((item) => new ScenarioError('E_SCENARIO_DEPLOYMENT', item.file, item.line, undefined, item.problem, { cause: item })),
  );
}

/** Loads a deployment, reporting its problems as ScenarioErrors at the same file and line. */
export function loadScenarioDeployment(text: string, fileName: string): ScenarioDeployment {
  try {
    return toScenarioDeployment(loadDeployment(text, fileName));
  } catch (error) {
    throw asScenarioError(error);
  }
}

export const nodeScenarioFiles: ScenarioFiles = {
  readText: (path) => readFile(path, 'utf8'),
  async readRecording(path, sampleRate) {
    let audio;
    try {
      audio = await readWav(path);
    } catch (error) {
      // The reader's messages already name the file.
      if (isDialinError(error)) throw new Error(error.message.replace(`${path}: `, ''));
      throw error;
    }
    return audio.sampleRate === sampleRate ? audio.samples : resample(audio.samples, audio.sampleRate, sampleRate);
  },
  loadDeployment: loadScenarioDeployment,
};
