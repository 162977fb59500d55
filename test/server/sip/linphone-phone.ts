/**
 * linphonec (Debian's `linphone-cli`, liblinphone 5), a softphone nobody
 * here wrote, run headless as `linphonec --pipe` (what `linphonecsh init`
 * starts) with test/fixtures/linphone/linphonerc in a temporary HOME, and
 * scripted through `linphonecsh`. linphonecsh finds its daemon by a fixed
 * socket, /tmp/linphonec-<uid>, so one linphonec runs at a time.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const LINPHONE_FIXTURES = join(import.meta.dirname, '../../fixtures/linphone');

const SOCKET = `/tmp/linphonec-${process.getuid?.() ?? 0}`;

/** Whether a linphonec daemon already answers on linphonecsh's socket. */
async function daemonRunning(): Promise<boolean> {
  if (!existsSync(SOCKET)) return false;
  return new Promise((resolve) => {
    const socket = connect(SOCKET);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export class LinphonePhone {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly status: { failure?: string },
  ) {}

  /** liblinphone's own log (-d 6 -l), for failure messages and to see what it sent. */
  get log(): string {
    try {
      return readFileSync(join(this.dir, 'linphone.log'), 'latin1');
    } catch {
      return '';
    }
  }

  /** Starts linphonec and waits until linphonecsh reaches it; throws when linphone-cli is not installed. */
  static async start(): Promise<LinphonePhone> {
    if (await daemonRunning()) throw new Error(`another linphonec daemon answers on ${SOCKET}; linphonecsh would drive it instead`);
    const dir = mkdtempSync(join(tmpdir(), 'linphone-'));
    const home = join(dir, 'home');
    // liblinphone keeps its call history here and sets up no SIP transport when it cannot open it.
    mkdirSync(join(home, '.local/share/linphone'), { recursive: true });
    copyFileSync(join(LINPHONE_FIXTURES, 'linphonerc'), join(dir, 'linphonerc'));
    const env = { ...process.env, HOME: home };
    const child = spawn('linphonec', ['--pipe', '-c', join(dir, 'linphonerc'), '-d', '6', '-l', join(dir, 'linphone.log')], { cwd: dir, env, stdio: 'ignore' });
    const status: { failure?: string } = {};
    child.on('error', (error: NodeJS.ErrnoException) => {
      status.failure = error.code === 'ENOENT' ? 'linphonec is not installed (apt-get install linphone-cli; .ci/run installs it)' : `cannot run linphonec: ${error.message}`;
    });
    child.on('exit', (code, signal) => (status.failure ??= `linphonec exited (${code ?? signal}) before the test ended`));
    const phone = new LinphonePhone(child, dir, env, status);
    try {
      const deadline = performance.now() + 10_000;
      while (status.failure === undefined && !(await daemonRunning())) {
        if (performance.now() > deadline) throw new Error(`linphonec did not open ${SOCKET} within 10 s\n${phone.log.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (status.failure) throw new Error(status.failure);
      // No sound card: linphonec's own mode that reads and writes WAV files instead.
      requireOutput(await phone.run('generic', 'soundcard use files'), 'Using wav files instead of soundcard');
      return phone;
    } catch (error) {
      await phone.close();
      throw error;
    }
  }

  /** Runs `linphonecsh ARGS` against this daemon and resolves with what it printed. */
  run(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.status.failure) return reject(new Error(`${this.status.failure}\n${this.log.slice(-4000)}`));
      execFile('linphonecsh', args, { env: this.env, timeout: 15_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`linphonecsh ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
        else resolve(stdout);
      });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.run('exit').catch(() => this.child.kill('SIGTERM'));
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function requireOutput(output: string, wanted: string): void {
  if (!output.includes(wanted)) throw new Error(`linphonec answered "${output.trim()}", expected "${wanted}"`);
}
