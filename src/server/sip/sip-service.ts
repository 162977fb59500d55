/**
 * The SIP edge: SIP over UDP and TCP on one port and over WebSocket on the
 * HTTP server's /sip (acceptWebSocket), one media leg per call (an RTP
 * socket, or WebRTC for a browser's offer), every inbound call one IVR call
 * through the same CallSession the WebSocket protocols use. Transports move bytes; the transaction layer
 * (src/sip) decides what to send; this file runs its timers, routes its
 * outputs to the calls, and answers what no call takes:
 *
 *   INVITE (new)    100 from the core, then 180, 200 + SDP (sip-call.ts);
 *                   486 over maxCalls, 503 while shutting down
 *   OPTIONS         200 with Allow (RFC 3261 section 11.2)
 *   REGISTER        200 echoing the Contact: no registrar, but softphones that insist can register
 *   BYE, INFO, ...  481 outside a dialog (section 12.2.2)
 *   unknown method  501 (section 8.2.1)
 *   unparseable     400 or 513 when the request can be answered, else dropped (section 18.1.2)
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { WebSocket } from 'ws';
import { DialinError } from '../../errors.ts';
import type { CallEvent } from '../../session/call-events.ts';
import type { CallSession, SessionSink } from '../../session/call-session.ts';
import { buildErrorResponse, buildResponse } from '../../sip/message/response-builder.ts';
import { serializeSipMessage } from '../../sip/message/serializer.ts';
import { headerValues, type SipHeader, type SipRequest } from '../../sip/message/sip-message.ts';
import { DEFAULT_PARSE_LIMITS } from '../../sip/sip-constants.ts';
import type { CoreOutput } from '../../sip/transaction/core-output.ts';
import { responseDestination, type Peer } from '../../sip/transaction/peer.ts';
import { TransactionLayer } from '../../sip/transaction/transaction-layer.ts';
import { addressTag } from '../../sip/message/name-addr.ts';
import type { PacerStats } from '../frame-pacer.ts';
import { PhasedFrameClock } from '../phased-frame-clock.ts';
import { ListenError } from '../server-options.ts';
import { bindSipPorts } from './bind-sip-ports.ts';
import { randomToken, SipCall, type SipCallContext, type SipProtocolName } from './sip-call.ts';
import type { SipInput } from './sip-input.ts';
import { resolveSipServiceOptions, type SipServiceOptions } from './sip-service-options.ts';
import { SourceRateLimit } from './source-rate-limit.ts';
import { TcpTransport } from './tcp-transport.ts';
import { UdpTransport, type DatagramSocket } from './udp-transport.ts';
import { WsTransport } from './ws-transport.ts';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REGISTER';
/** RFC 3261 section 10.2.1.1: a registrar states the binding's lifetime; an hour is the usual default. */
const REGISTER_EXPIRES_S = 3600;

export interface SipServiceDependencies {
  /**
   * Makes the CallSession of an answered call, registered with the shared
   * IVR (server.ts's createSession, at 8 kHz, with this protocol name).
   */
  createSession(protocol: SipProtocolName, from: string | undefined, sink: SessionSink, startedAt: number): CallSession;
  /**
   * Checks what the caller says about itself (the From URI) before the call
   * rings; a DialinError it throws refuses the INVITE with 400 and its message.
   */
  checkCaller?(from: string): void;
  /** A UDP socket already bound on the SIP port (a worker's, relayed by the primary); bound here when absent. */
  readonly udpSocket?: DatagramSocket;
  /** The call log: every session event, notes about calls, lines about the service. */
  readonly log: {
    event(callId: string, event: CallEvent): void;
    note(callId: string, message: string): void;
    server(message: string): void;
  };
}

export interface SipServiceStats {
  /** Calls ringing or up. */
  calls: number;
  /** INVITEs taken as calls since start. */
  totalCalls: number;
  /** The clock that sends the SIP calls' audio. */
  pacer: PacerStats;
}

export interface RunningSipService {
  readonly udpPort: number;
  readonly tcpPort: number;
  stats(): SipServiceStats;
  /** Takes a WebSocket the HTTP server upgraded on /sip (subprotocol `sip`, checks passed). */
  acceptWebSocket(socket: WebSocket, request: IncomingMessage): void;
  /** BYE to every call, then the sockets close (within 2 s). Idempotent. */
  close(): Promise<void>;
}

export async function startSipService(partial: Partial<SipServiceOptions>, deps: SipServiceDependencies): Promise<RunningSipService> {
  const options = resolveSipServiceOptions(partial);
  const { log } = deps;
  const limits = { ...DEFAULT_PARSE_LIMITS, maxMessageBytes: options.maxMessageBytes };
  const layer = new TransactionLayer({ timers: options.timers, newTag: () => randomToken() });
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const calls = new Map<string, SipCall>();
  let totalCalls = 0;
  let shuttingDown = false;
  /** Call-IDs of ended calls whose BYE has no answer yet; close() waits for them. */
  const byesUnanswered = new Set<string>();

  let ports;
  try {
    ports = await bindSipPorts(options.host, options.port, deps.udpSocket);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ListenError(`cannot listen for SIP on ${options.host}:${options.port} (${code})`, { cause: error });
  }
  const rate = new SourceRateLimit(options.maxMessagesPerSecond);
  const udp = new UdpTransport(ports.udp, limits, rate, (input, from) => receive(input, from));
  const tcp = new TcpTransport(
    ports.tcp,
    { parse: limits, maxConnections: options.maxTcpConnections, idleTimeoutMs: options.tcpIdleTimeoutMs },
    rate,
    (input, from) => receive(input, from),
  );
  const ws = new WsTransport({ parse: limits, maxConnections: options.maxTcpConnections, idleTimeoutMs: options.tcpIdleTimeoutMs }, rate, (input, from) => receive(input, from));
  const port = udp.port;

  // Every call's audio on one clock, a quarter of the calls in each slot of the 20 ms period.
  const clock = new PhasedFrameClock<SipCall>({ frameMs: options.frameMs, playbackSpeed: options.playbackSpeed, now: () => performance.now() });

  const send = (bytes: Uint8Array, to: Peer) => (to.transport === 'tcp' ? tcp.send(bytes, to) : to.transport === 'ws' ? ws.send(bytes, to) : udp.send(bytes, to));

  function receive(input: SipInput, from: Peer): void {
    if (input.type === 'message') return run(layer.receive(input.message, from));
    const { error } = input;
    const response = buildErrorResponse(error, randomToken());
    log.server(`sip ${from.transport} ${from.host}:${from.port} ${response ? `answered ${response.status}` : 'dropped'}: ${error.problem}`);
    if (response) send(serializeSipMessage(response), responseDestination(response.via[0]!, from));
  }

  /** Routes the core's outputs: each call takes its own, the rest are sent, timed, or answered here. */
  function run(outputs: CoreOutput[]): void {
    for (const output of takenByCalls(outputs)) {
      switch (output.type) {
        case 'send':
          send(serializeSipMessage(output.message), output.to);
          break;
        case 'start-timer': {
          clearTimeout(timers.get(output.id));
          const timer = setTimeout(() => {
            timers.delete(output.id);
            run(layer.timerFired(output.id));
          }, output.delayMs);
          timers.set(output.id, timer);
          break;
        }
        case 'cancel-timer':
          clearTimeout(timers.get(output.id));
          timers.delete(output.id);
          break;
        case 'request':
          newRequest(output.request, output.from, output.transactionId);
          break;
        case 'response':
          // The answer to the BYE of a call that has ended (section 15.1.1: the call ended when the BYE left).
          if (output.response.cseq.method === 'BYE') byesUnanswered.delete(output.response.callId);
          break;
        default:
          // Events of calls already gone (a late ACK, a retransmission's timeout).
          break;
      }
    }
  }

  /**
   * Each call takes the outputs that are its own; the rest come back in
   * order. An output naming a Call-ID goes to that call alone (a call takes
   * only outputs of its Call-ID), so routing costs the same at 1 call as at
   * 1,000; only a request timeout, which names none, is offered to each call.
   */
  function takenByCalls(outputs: CoreOutput[]): CoreOutput[] {
    const rest: CoreOutput[] = [];
    for (const output of outputs) {
      const callId = outputCallId(output);
      let left = [output];
      if (callId !== undefined) {
        const call = calls.get(callId);
        if (call) left = call.handle(left);
      } else if (output.type === 'request-timeout') {
        for (const call of [...calls.values()]) {
          if (left.length === 0) break;
          left = call.handle(left);
        }
      }
      rest.push(...left);
    }
    return rest;
  }

  function respond(request: SipRequest, transactionId: string, status: number, headers: SipHeader[] = []): void {
    run(layer.respond(transactionId, buildResponse(request, status, { toTag: randomToken(), headers })));
  }

  function newRequest(request: SipRequest, from: Peer, transactionId: string): void {
    switch (request.method) {
      case 'INVITE': {
        // A request with a To tag belongs to a dialog; none here has it (section 12.2.2).
        if (addressTag(request.to) !== undefined) return respond(request, transactionId, 481);
        if (shuttingDown) return respond(request, transactionId, 503);
        if (calls.size >= options.maxCalls) return respond(request, transactionId, 486);
        if (calls.has(request.callId)) return respond(request, transactionId, 482);
        try {
          deps.checkCaller?.(request.from.uri);
        } catch (error) {
          if (!(error instanceof DialinError)) throw error;
          log.server(`sip ${from.transport} ${from.host}:${from.port} answered 400: ${error.message}`);
          return respond(request, transactionId, 400);
        }
        const call = new SipCall(context, request, from, transactionId, `sip#${++totalCalls}`);
        calls.set(call.callId, call);
        clock.add(call, totalCalls);
        log.note(`sip#${totalCalls}`, `sip INVITE over ${from.transport} from ${from.host}:${from.port}`);
        void call.begin();
        return;
      }
      case 'OPTIONS':
        return respond(request, transactionId, 200, [
          { name: 'Allow', value: ALLOW },
          { name: 'Accept', value: 'application/sdp' },
        ]);
      case 'REGISTER': {
        const contacts = headerValues(request, 'Contact');
        const headers: SipHeader[] = contacts.map((value) => ({ name: 'Contact', value }));
        headers.push({ name: 'Expires', value: String(REGISTER_EXPIRES_S) });
        return respond(request, transactionId, 200, headers);
      }
      case 'BYE':
      case 'INFO':
      case 'UPDATE':
      case 'PRACK':
        return respond(request, transactionId, 481);
      default:
        return respond(request, transactionId, 501, [{ name: 'Allow', value: ALLOW }]);
    }
  }

  const context: SipCallContext = {
    layer,
    host: options.host,
    localPort: (source) => (source.transport === 'ws' ? ws.localPort(source) : undefined) ?? port,
    webRtcHost: webRtcHostFor(options.host),
    ringMs: options.ringMs,
    maxRtpPacketsPerSecond: options.maxRtpPacketsPerSecond,
    createSession: deps.createSession,
    run,
    event: (callId, event) => log.event(callId, event),
    note: (label, message) => log.note(label, message),
    ended: (call) => {
      if (calls.get(call.callId) === call) calls.delete(call.callId);
      if (call.byePending) byesUnanswered.add(call.callId);
      clock.delete(call);
    },
  };

  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  log.server(`sip listening on udp and tcp ${host}:${port}`);
  if (context.webRtcHost === undefined) log.server(`sip webrtc media off: host ${options.host} is not an IPv4 address`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      log.server(`sip shutting down: ${calls.size} call(s) to end`);
      for (const call of [...calls.values()]) call.shutdown();
      const deadline = performance.now() + options.shutdownGraceMs;
      while (performance.now() < deadline && (calls.size > 0 || byesUnanswered.size > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      clock.stop();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all([udp.close(), tcp.close(), ws.close()]);
      log.server('sip stopped');
    })();
    return closing;
  };

  return {
    udpPort: port,
    tcpPort: tcp.port,
    stats: () => ({ calls: calls.size, totalCalls, pacer: clock.stats }),
    acceptWebSocket: (socket, request) => (shuttingDown ? socket.close(1001, 'server shutting down') : ws.accept(socket, request)),
    close,
  };
}

/** The Call-ID an output of the core is about, when it names one. */
function outputCallId(output: CoreOutput): string | undefined {
  switch (output.type) {
    case 'request':
    case 'ack':
    case 'cancelled':
      return output.request.callId;
    case 'ack-timeout':
      return output.callId;
    case 'response':
      return output.response.callId;
    default:
      return undefined;
  }
}

/**
 * The address WebRTC media binds and names in its one host candidate (RFC
 * 8839 section 5.1: a candidate is one reachable address): the host itself
 * when it is an IPv4 address, loopback for the 0.0.0.0 wildcard, none else.
 */
function webRtcHostFor(host: string): string | undefined {
  if (host === '0.0.0.0') return '127.0.0.1';
  return isIP(host) === 4 ? host : undefined;
}
