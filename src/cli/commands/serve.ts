import { UsageError } from '../../errors.ts';
import { isPostgresUrl } from '../../directory/sql/db-target.ts';
import { DEFAULT_FLOW_OPTIONS } from '../../flow/flow-options.ts';
import { parseFlowOverrides } from '../flow-overrides.ts';
import { DEMO_DEPLOYMENT } from '../../server/demo-deployment.ts';
import { isRedisUrl } from '../../server/cluster/redis-url.ts';
import { allowHostProblem } from '../../server/host-check.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { DEFAULT_SIP_PORT } from '../../sip/sip-constants.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { CliIo, Command } from '../command.ts';
import { MAIL_OPTIONS, mailTransportOption, SMTP_USAGE } from '../directory-options.ts';

const usage = `usage: dialin-sim serve [--port 8080] [--host 127.0.0.1] [--config FILE] [--db FILE|URL]
                       [--smtp smtp://HOST:PORT] [--token T] [--allow-origin URL]... [--allow-host NAME]...
                       [--sip-port 5060|off] [--max-calls N] [--flow KEY=VALUE]...
                       [--redis redis://HOST:PORT] [--workers N|auto]

Run the IVR as a live server. One port serves:
  GET  /                  the browser softphone
  GET  /healthz           {"ok":true}
  GET  /api/conferences   conferences with their lobby and participants (JSON)
  WS   /call              native protocol: JSON start, then 16-bit PCM both ways
  WS   /twilio            Twilio Media Streams (<Connect><Stream>), µ-law 8 kHz
  WS   /vonage            Vonage Voice WebSocket, L16 8 or 16 kHz
  WS   /sip               SIP over WebSocket (subprotocol sip, RFC 7118) with WebRTC
                          media (PCMU/PCMA, DTLS-SRTP, ICE-lite on --host), for
                          browsers (JsSIP, SIP.js); only while SIP is on
and, on --sip-port, SIP over UDP and TCP with RTP (PCMU/PCMA, RFC 4733 events,
SIP INFO): dial sip:anything@HOST:PORT from any SIP phone, no registration needed.

Without --config the server runs a demo deployment: conference ${DEMO_DEPLOYMENT.conference.id}
organized by ${DEMO_DEPLOYMENT.organizer.id} (${DEMO_DEPLOYMENT.organizer.name}), whose PIN is generated and printed once
on the first start with a new database.

Options:
  --port N        TCP port (default 8080; 0 picks a free one)
  --host ADDR     interface to listen on (default 127.0.0.1, loopback only)
  --config FILE   deployment file (users, conferences, policy) to load
  --db FILE|URL   directory database: an SQLite file (default dialin.db) or
                  postgres://USER@HOST[:PORT]/DATABASE, shared by every node
${SMTP_USAGE}
  --token T       require 'Authorization: Bearer T' (or ?token=T) on calls and /api
                  (at least 8 characters)
  --allow-origin URL  let pages of this browser origin open calls (repeatable; * for
                  any). Browsers may call only from the server's own pages otherwise;
                  clients that send no Origin (platforms, tools) are not affected
  --allow-host NAME  answer requests addressed to this host name too (repeatable), e.g.
                  the name a reverse proxy forwards. Requests are answered only when
                  their Host header is localhost, 127.0.0.1, [::1] or the --host
                  address (any IP address with --host 0.0.0.0), with the port, or an
                  --allow-host name; others get 421 (this stops DNS rebinding)
  --sip-port N    port for SIP over UDP and TCP on --host (default 5060; 0 picks a
                  free one; off: no SIP)
  --max-calls N   concurrent calls before new callers are turned away (default 2000;
                  SIP counts its calls apart and answers 486 above it)
  --flow KEY=VALUE  a flow option for every call (repeatable), e.g.
                  --flow interDigitTimeoutMs=3s --flow lobbyTimeoutMs=30m
                  (options: ${Object.keys(DEFAULT_FLOW_OPTIONS).join(', ')})
  --redis URL     share conference state (lobby, participants, who started it) and
                  the events between calls through this Redis, so every server
                  pointed at it and at the same --db acts as one bridge: a guest
                  on one server is admitted when the organizer keys the PIN on
                  another; a server that dies is cleaned up by the others
  --workers N     run N server processes on this machine behind the same ports
                  (auto: one per core); needs --redis and a PostgreSQL --db
                  (postgres://...), which this build does not have yet

One log line per call event goes to standard output; digit keys show as x.
SIGINT or SIGTERM ends every call with goodbye, closes the database, exits 0.`;

/**
 * `--workers N|auto`: several processes behind one set of ports share only
 * what lives outside them, so they need Redis for the conferences and a
 * directory every process can write (PostgreSQL; a SQLite file is one
 * machine's and, behind one port, would serialize every worker's writes).
 * The workers themselves are server/cluster/workers.ts; this command runs
 * them once the directory can be PostgreSQL.
 */
function checkWorkers(value: string, redis: string | undefined, db: string): void {
  if (value !== 'auto' && !/^[1-9]\d*$/.test(value)) throw new UsageError(`--workers expects a whole number of at least 1 or auto, got '${value}'`);
  if (redis === undefined) throw new UsageError('--workers needs --redis URL: the workers share conference state through Redis');
  if (!/^postgres(ql)?:\/\//.test(db)) {
    throw new UsageError(`--workers needs a PostgreSQL --db (postgres://...), got '${db}'; this build has no PostgreSQL directory yet: run one serve per port with --redis instead`);
  }
  throw new UsageError('--workers: this build has no PostgreSQL directory yet: run one serve per port with --redis instead');
}

/** Resolves with the signal's name when the process is asked to stop. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function announceDemo(server: RunningServer, db: string, io: CliIo): void {
  if (!server.demo) return;
  const { conference, organizer } = DEMO_DEPLOYMENT;
  io.out(`Demo deployment: conference ${conference.id}, organizer ${organizer.id} (${organizer.name}).`);
  if (server.demoPin !== undefined) {
    io.out(`Organizer PIN: ${server.demoPin}  (shown once; it is stored only as a hash)`);
  } else {
    io.out(`The organizer's PIN was set on an earlier start and is not shown again;`);
    // A PostgreSQL URL is shown without its password (give it in PGPASSWORD).
    io.out(`for a new one: dialin-sim pin reset ${organizer.id} --db ${isPostgresUrl(db) ? server.directory.label : db}`);
  }
}

export async function runServe(args: string[], io: CliIo, stop: Promise<string>): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    config: { type: 'string' },
    db: { type: 'string' },
    ...MAIL_OPTIONS,
    token: { type: 'string' },
    'allow-origin': { type: 'string', multiple: true, default: [] },
    'allow-host': { type: 'string', multiple: true, default: [] },
    'sip-port': { type: 'string' },
    'max-calls': { type: 'string' },
    flow: { type: 'string', multiple: true, default: [] },
    redis: { type: 'string' },
    workers: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const port = numberOption('port', values.port);
  const maxCalls = numberOption('max-calls', values['max-calls']);
  const sipPort = values['sip-port'] === 'off' ? undefined : (numberOption('sip-port', values['sip-port']) ?? DEFAULT_SIP_PORT);
  if (sipPort !== undefined && (!Number.isInteger(sipPort) || sipPort < 0 || sipPort > 65535)) {
    throw new UsageError(`--sip-port expects 0 to 65535 or off, got '${values['sip-port']}'`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new UsageError(`--port expects 0 to 65535, got '${values.port}'`);
  }
  if (maxCalls !== undefined && (!Number.isInteger(maxCalls) || maxCalls < 1)) {
    throw new UsageError(`--max-calls expects a whole number of at least 1, got '${values['max-calls']}'`);
  }
  for (const name of values['allow-host']) {
    const problem = allowHostProblem(name);
    if (problem !== undefined) throw new UsageError(`--allow-host: ${problem}`);
  }
  const flow = parseFlowOverrides(values.flow);
  const db = values.db ?? 'dialin.db';
  const mail = mailTransportOption(values.smtp);
  const redis = values.redis;
  if (redis !== undefined && !isRedisUrl(redis)) throw new UsageError(`--redis expects a redis://HOST:PORT URL, got '${redis}'`);
  if (values.workers !== undefined) checkWorkers(values.workers, redis, db);
  const server = await startServer({
    mail,
    port,
    host: values.host,
    config: values.config,
    db,
    token: values.token,
    allowedOrigins: values['allow-origin'],
    allowHosts: values['allow-host'],
    maxCalls,
    sipPort,
    flow,
    redis,
    log: (line) => io.out(line),
  });
  announceDemo(server, db, io);
  io.out(`Softphone: ${server.url}/   native calls: ${server.url.replace(/^http/, 'ws')}/call`);
  if (server.sipPort !== undefined) io.out(`SIP phones: sip:${DEMO_DEPLOYMENT.conference.id}@${new URL(server.url).hostname}:${server.sipPort} (UDP or TCP)`);
  const signal = await stop;
  io.out(`${signal}: ending calls`);
  await server.close();
  return 0;
}

export const command: Command = {
  summary: 'run the IVR as an HTTP + WebSocket server (native, Twilio, Vonage)',
  usage,
  run: (args, io) => runServe(args, io, stopSignal()),
};
