import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';

export const CLI_DEPLOYMENT = `users:
  - { id: amos, name: Amos Marble, email: amos@contoso.com, phone: "+1 555 803 9175", extension: "4071" }
  - { id: bela, name: Bela Okafor, email: bela@contoso.com }
conferences:
  - { id: "123456", organizer: amos }
  - { id: "424242", organizer: bela, allowAnonymousStart: true }
`;

/** A temporary folder with deploy.yaml, and a runner for directory commands against dialin.db in it. */
export function cliFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'dialin-cli-'));
  const config = join(dir, 'deploy.yaml');
  const db = join(dir, 'dialin.db');
  writeFileSync(config, CLI_DEPLOYMENT);
  async function run(...args: string[]) {
    const { io, out, err } = captureIo();
    const code = await main([...args, '--db', db], io);
    return { code, out, err };
  }
  return { dir, config, db, run, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
