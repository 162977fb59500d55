/**
 * baresip (Debian's `baresip` package), a softphone nobody here wrote,
 * run headless in a temporary config directory (`-f DIR`) from
 * test/fixtures/baresip and scripted through its ctrl_tcp module: JSON
 * commands and events, each framed as a netstring (`<length>:<json>,`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './sipp.ts';

export const BARESIP_FIXTURES = join(import.meta.dirname, '../../fixtures/baresip');

/** A ctrl_tcp message: a reply to a command (`response`) or a call event (`event`). */
interface CtrlMessage {
  readonly response?: boolean;
  readonly ok?: boolean;
  readonly data?: string;
  readonly token?: string;
  readonly event?: boolean;
  readonly type?: string;
}

/** A TCP port on loopback that was free a moment ago. */
async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A mono 16-bit 8 kHz WAV of silence (RIFF header of RFC 2361's WAVE_FORMAT_PCM). */
function silentWav(seconds: number): Buffer {
  const data = seconds * 8000 * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

export class BaresipPhone {
  /** Everything baresip printed (for failure messages). */
  output = '';
  readonly events: CtrlMessage[] = [];
  private readonly replies = new Map<string, (message: CtrlMessage) => void>();
  private buffer = Buffer.alloc(0);
  private socket: Socket | undefined;
  private tokens = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  /** Starts baresip and connects to its ctrl_tcp port; throws when baresip is not installed. */
  static async start(): Promise<BaresipPhone> {
    const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
    const ctrlPort = await freeTcpPort();
    writeFileSync(join(dir, 'config'), readFileSync(join(BARESIP_FIXTURES, 'config'), 'utf8').replace('127.0.0.1:CTRL_PORT', `127.0.0.1:${ctrlPort}`));
    copyFileSync(join(BARESIP_FIXTURES, 'accounts'), join(dir, 'accounts'));
    writeFileSync(join(dir, 'silence.wav'), silentWav(60));
    // -t: baresip quits on its own should this process die before close().
    const child = spawn('baresip', ['-f', dir, '-v', '-t', '120'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const phone = new BaresipPhone(child, dir);
    let failure: string | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure = error.code === 'ENOENT' ? 'baresip is not installed (apt-get install baresip; .ci/run installs it)' : `cannot run baresip: ${error.message}`;
    });
    child.on('exit', (code, signal) => (failure ??= `baresip exited (${code ?? signal}) before the test ended`));
    const keep = (chunk: Buffer) => (phone.output = (phone.output + chunk.toString('latin1')).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    try {
      await until(() => failure !== undefined || phone.output.includes('ctrl_tcp: TCP socket listening'), 10_000, 'baresip to listen on ctrl_tcp');
      if (failure) throw new Error(`${failure}\n${phone.output}`);
      phone.socket = connect(ctrlPort, '127.0.0.1');
      await new Promise<void>((resolve, reject) => phone.socket!.once('connect', resolve).once('error', reject));
      phone.socket.on('data', (chunk) => phone.receive(chunk));
      return phone;
    } catch (error) {
      await phone.close();
      throw error;
    }
  }

  /** Sends a ctrl_tcp command (the menu module's command names: dial, sndcode, hangup) and resolves with its reply. */
  async command(command: string, params = ''): Promise<CtrlMessage> {
    const token = `t${++this.tokens}`;
    const json = JSON.stringify({ command, params, token });
    const reply = new Promise<CtrlMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`baresip did not answer ${command} ${params}\n${this.output}`)), 5000);
      this.replies.set(token, (message) => (clearTimeout(timer), resolve(message)));
    });
    this.socket!.write(`${Buffer.byteLength(json)}:${json},`);
    const message = await reply;
    if (!message.ok) throw new Error(`baresip refused ${command} ${params}: ${message.data ?? ''}`);
    return message;
  }

  /** Resolves once baresip has reported a call event of `type` (CALL_ESTABLISHED, CALL_CLOSED…). */
  async event(type: string, timeoutMs: number): Promise<void> {
    await until(() => this.events.some((e) => e.type === type), timeoutMs, `baresip event ${type}\n${this.output}`);
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Netstrings (`<length>:<payload>,`) split anywhere across reads. */
  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('latin1'));
      if (this.buffer.length < colon + 2 + length) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8')) as CtrlMessage;
      this.buffer = this.buffer.subarray(colon + 2 + length);
      if (message.event) this.events.push(message);
      else if (message.response && message.token) this.replies.get(message.token)?.(message);
    }
  }
}
