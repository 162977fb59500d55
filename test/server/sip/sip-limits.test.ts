/**
 * The SIP edge's bounds: messages per source, TCP connections and their
 * idle timeout, and what a call still ringing at shutdown is told.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DialinError } from '../../../src/errors.ts';
import { RawSipPhone } from './raw-sip-phone.ts';
import { startSipTestService, type SipTestService } from './sip-test-service.ts';
import { until } from './sipp.ts';

describe('SIP service limits', () => {
  let service: SipTestService | undefined;
  const phones: RawSipPhone[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await service?.close();
    service = undefined;
  });

  it('drops messages beyond the per-source rate and still answers other sources', async () => {
    service = await startSipTestService({ maxMessagesPerSecond: 20 });
    const flooder = await RawSipPhone.open(service.udpPort);
    // Another loopback address is another source.
    const other = await RawSipPhone.open(service.udpPort, '127.0.0.2');
    phones.push(flooder, other);
    for (let i = 0; i < 60; i++) flooder.request('OPTIONS', { toTag: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answered = flooder.messages.filter((m) => m.kind === 'response').length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(20);
    other.request('OPTIONS', { toTag: false });
    expect((await other.response((r) => r.cseq.method === 'OPTIONS')).status).toBe(200);
  });

  it('closes TCP connections beyond the limit and connections that stay silent', async () => {
    service = await startSipTestService({ maxTcpConnections: 1, tcpIdleTimeoutMs: 300 });
    const open = () => {
      const socket = connect(service!.tcpPort, '127.0.0.1');
      const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
      socket.on('error', () => {});
      return { socket, closed };
    };
    const first = open();
    await new Promise((resolve) => first.socket.on('connect', resolve));
    const openedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = open();
    // The second is refused while the first holds the only slot; the first is closed once idle.
    const secondClosedAt = await second.closed;
    expect(secondClosedAt - openedAt).toBeLessThan(300);
    const firstClosedAt = await first.closed;
    expect(firstClosedAt - openedAt).toBeGreaterThanOrEqual(250);
    expect((first.socket as Socket).destroyed).toBe(true);
  });

  it('refuses with 400 an INVITE whose caller the checkCaller hook rejects, naming the field in the log', async () => {
    service = await startSipTestService({}, {
      checkCaller: (from) => {
        if (from.length > 10) throw new DialinError('E_BAD_FIELD', `From: longer than 10 characters (got ${from.length})`);
      },
    });
    const p = await RawSipPhone.open(service.udpPort);
    phones.push(p);
    p.request('INVITE', { body: p.sdp() });
    expect((await p.response((r) => r.cseq.method === 'INVITE' && r.status >= 300)).status).toBe(400);
    expect(service.lines.some((l) => l.includes('answered 400: From: longer than 10 characters'))).toBe(true);
    expect(service.stats().totalCalls).toBe(0);
  });

  it('answers 503 to a call still ringing when the service closes', async () => {
    service = await startSipTestService({ ringMs: 10_000 });
    const p = await RawSipPhone.open(service.udpPort);
    phones.push(p);
    p.request('INVITE', { body: p.sdp() });
    await p.response((r) => r.status === 180);
    const closing = service.close();
    const refused = await p.response((r) => r.cseq.method === 'INVITE' && r.status >= 300);
    expect(refused.status).toBe(503);
    await closing;
    await until(() => service!.lines.some((l) => l.includes('sip stopped')), 3000, 'the service to stop');
  });
});
