/**
 * The load generator's SIP caller against a real server with SIP on: the
 * organizer keys the conference ID, the leader answer and the PIN in-band
 * in PCMU RTP, the events come off the call log (as load-server.ts reports
 * them), and the measurements count every key once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LatencySink } from '../../bench/load-call.ts';
import { deliverSipEvents, LoadSipCall } from '../../bench/load-sip-call.ts';
import { SipEventTap } from '../../bench/load-sip-events.ts';
import { SipPhoneSockets } from '../../bench/load-sip-phones.ts';
import { until } from '../server/sip/sipp.ts';
import { startTestServer, type TestServer } from '../server/test-server.ts';

describe('load SIP caller', () => {
  let server: TestServer;
  const tap = new SipEventTap(deliverSipEvents);

  beforeAll(async () => {
    server = await startTestServer({ sipPort: 0, playbackSpeed: 1, log: (line) => tap.line(line, performance.timeOrigin + performance.now()) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('dials in over SIP, keys the PIN in-band, hangs up with BYE and has every key heard once', async () => {
    const service = { host: '127.0.0.1', port: server.sipPort! };
    const sockets = new SipPhoneSockets(service);
    let done = false;
    const call = new LoadSipCall(service, sockets.next(), 7, '123456', true, server.pin, () => (done = true));
    const ticker = setInterval(() => call.pump(performance.now()), 2);
    try {
      await until(() => done, 15_000, 'the meeting');
      expect(call.reached).toBe('in-meeting');
      call.press('#', 'connected');
      await new Promise((resolve) => setTimeout(resolve, 700));
      call.hangup();
      await until(() => call.isClosed, 5000, 'the answer to the BYE');
    } finally {
      clearInterval(ticker);
      await sockets.close();
    }
    const latencies: LatencySink = { dialing: { total: [], server: [] }, connected: { total: [], server: [] } };
    const result = call.result(latencies);
    const keys = '123456#'.length + 1 + server.pin.length + 1 + 1;
    expect(result).toMatchObject({ protocol: 'sip', reached: 'in-meeting', sent: keys, heard: keys, missed: 0, extra: 0, retransmissions: 0, error: undefined });
    expect(result.framesReceived).toBeGreaterThan(50);
    expect(latencies.dialing.total).toHaveLength(keys - 1);
    // The decoder confirms a key 15 ms into the silence after it, and audio leaves in 20 ms frames.
    expect(latencies.connected.total).toHaveLength(1);
    expect(latencies.connected.total[0]).toBeGreaterThan(10);
    expect(latencies.connected.total[0]).toBeLessThan(500);
  }, 30_000);
});
