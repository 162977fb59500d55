import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenarioFiles } from '../../../src/scenario/report/run-suite.ts';

describe('findScenarioFiles', () => {
  it('takes every YAML file but those with deployment keys only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-find-'));
    const files: Record<string, string> = {
      'deployment.yaml': 'tenant: { pinLength: 5 }\npolicy: {}\nusers: []\nconferences: []\n',
      'misspelt.yaml': 'name: x\ndeployment: ./deployment.yaml\ncals: []\n',
      'no-calls.yml': 'users: []\nname: x\n',
      'syntax.yaml': 'name: "x\n',
      'list.yaml': '- users\n',
      'empty.yaml': '',
      'empty-mapping.yaml': '{}\n',
      'notes.txt': 'calls:\n',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const found = (await findScenarioFiles(dir)).map((file) => file.slice(dir.length + 1));
    expect(found).toEqual(['empty-mapping.yaml', 'empty.yaml', 'list.yaml', 'misspelt.yaml', 'no-calls.yml', 'syntax.yaml']);
  });
});
