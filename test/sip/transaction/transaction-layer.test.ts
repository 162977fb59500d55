import { describe, expect, it } from 'vitest';
import type { CoreOutput } from '../../../src/sip/transaction/core-output.ts';
import type { Peer } from '../../../src/sip/transaction/peer.ts';
import { buildResponse } from '../../../src/sip/message/response-builder.ts';
import { TransactionLayer, SipTransactionError } from '../../../src/sip/transaction/transaction-layer.ts';
import type { SipRequest, SipResponse } from '../../../src/sip/message/sip-message.ts';
import { request, response } from '../helpers/messages.ts';

const UDP: Peer = { transport: 'udp', host: '198.51.100.7', port: 40000 };
const TCP: Peer = { transport: 'tcp', host: '198.51.100.7', port: 40001, connectionId: 'c1' };

function layer(): TransactionLayer {
  let tags = 0;
  return new TransactionLayer({ newTag: () => `tag${++tags}` });
}

const sent = (outputs: CoreOutput[]) =>
  outputs.flatMap((output) => (output.type === 'send' ? [output.message.kind === 'response' ? output.message.status : output.message.method] : []));
const started = (outputs: CoreOutput[]) =>
  outputs.flatMap((output) => (output.type === 'start-timer' ? [`${output.id.slice(output.id.lastIndexOf('#') + 1)}=${output.delayMs}`] : []));
const cancelled = (outputs: CoreOutput[]) => outputs.filter((output) => output.type === 'cancel-timer').length;
const timerOf = (outputs: CoreOutput[], name: string) => {
  const output = outputs.find((o) => o.type === 'start-timer' && o.id.endsWith(`#${name}`));
  if (!output || output.type !== 'start-timer') throw new Error(`no timer ${name}`);
  return output.id;
};
const delivered = (outputs: CoreOutput[]) => {
  const output = outputs.find((o) => o.type === 'request');
  if (!output || output.type !== 'request') throw new Error('no request delivered');
  return output;
};
const reply = (req: SipRequest, status: number): SipResponse => buildResponse(req, status, { toTag: 'uas1' });

describe('INVITE server transaction', () => {
  it('sends 100 Trying, hands the INVITE up once, and resends the last response to a retransmission', () => {
    const core = layer();
    const first = core.receive(request(), UDP);
    expect(sent(first)).toEqual([100]);
    const { transactionId, request: invite } = delivered(first);
    expect(invite.via[0]!.params).toMatchObject({ received: '198.51.100.7', rport: '40000' });
    expect(first[0]).toMatchObject({ type: 'send', to: UDP });
    core.respond(transactionId, reply(invite, 180));
    const again = core.receive(request(), UDP);
    expect(sent(again)).toEqual([180]);
    expect(again.some((output) => output.type === 'request')).toBe(false);
  });

  it('retransmits a non-2xx final over UDP from T1 doubling to T2, and stops at the ACK', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request(), UDP));
    const final = core.respond(transactionId, reply(invite, 486));
    expect(sent(final)).toEqual([486]);
    expect(started(final)).toEqual(['G=500', 'H=32000']);
    const intervals: string[] = [];
    let g = timerOf(final, 'G');
    for (let i = 0; i < 5; i++) {
      const outputs = core.timerFired(g);
      expect(sent(outputs)).toEqual([486]);
      intervals.push(...started(outputs));
      g = timerOf(outputs, 'G');
    }
    expect(intervals).toEqual(['G=1000', 'G=2000', 'G=4000', 'G=4000', 'G=4000']);
    const ack = core.receive(request({ method: 'ACK' }), UDP);
    expect(sent(ack)).toEqual([]);
    expect(cancelled(ack)).toBe(2);
    expect(started(ack)).toEqual(['I=5000']);
    expect(core.serverState(transactionId)).toBe('confirmed');
    expect(core.receive(request({ method: 'ACK' }), UDP)).toEqual([]);
    expect(core.timerFired(g)).toEqual([]);
    core.timerFired(timerOf(ack, 'I'));
    expect(core.size).toBe(0);
  });

  it('reports Timer H when no ACK comes for a non-2xx final', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request(), UDP));
    const final = core.respond(transactionId, reply(invite, 404));
    const outputs = core.timerFired(timerOf(final, 'H'));
    expect(outputs).toContainEqual({ type: 'transaction-timeout', transactionId });
    expect(cancelled(outputs)).toBe(1);
    expect(core.size).toBe(0);
  });

  it('does not retransmit over TCP and ends at the ACK without Timer I', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request({ via: 'SIP/2.0/TCP 192.0.2.10:5062;branch=z9hG4bK.t1' }), TCP));
    const final = core.respond(transactionId, reply(invite, 603));
    expect(final[0]).toMatchObject({ type: 'send', to: TCP });
    expect(started(final)).toEqual(['H=32000']);
    const ack = core.receive(request({ method: 'ACK', via: 'SIP/2.0/TCP 192.0.2.10:5062;branch=z9hG4bK.t1' }), TCP);
    expect(started(ack)).toEqual([]);
    expect(core.size).toBe(0);
  });

  it('retransmits a 2xx until the ACK with its own branch arrives, absorbing INVITE retransmissions', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request(), UDP));
    const ok = core.respond(transactionId, reply(invite, 200));
    expect(sent(ok)).toEqual([200]);
    expect(started(ok)).toEqual(['L=32000', 'retransmit=500', 'give-up=32000']);
    let retransmit = timerOf(ok, 'retransmit');
    const intervals: string[] = [];
    for (let i = 0; i < 4; i++) {
      const outputs = core.timerFired(retransmit);
      expect(sent(outputs)).toEqual([200]);
      intervals.push(...started(outputs));
      retransmit = timerOf(outputs, 'retransmit');
    }
    expect(intervals).toEqual(['retransmit=1000', 'retransmit=2000', 'retransmit=4000', 'retransmit=4000']);
    expect(core.receive(request(), UDP)).toEqual([]);
    const ack = core.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack2' }), UDP);
    expect(ack.filter((output) => output.type === 'ack')).toHaveLength(1);
    expect(cancelled(ack)).toBe(2);
    expect(core.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack2' }), UDP)).toEqual([]);
    core.timerFired(timerOf(ok, 'L'));
    expect(core.size).toBe(0);
  });

  it('gives up on a 2xx after 64*T1 without ACK and says so', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request(), UDP));
    const ok = core.respond(transactionId, reply(invite, 200));
    const outputs = core.timerFired(timerOf(ok, 'give-up'));
    expect(outputs).toContainEqual({ type: 'ack-timeout', callId: 'call-1@192.0.2.10', cseq: 20 });
    expect(cancelled(outputs)).toBe(1);
  });

  it('sends responses to the Via port when the client did not ask for rport', () => {
    const core = layer();
    const outputs = core.receive(request({ via: 'SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK.n1' }), UDP);
    expect(outputs[0]).toMatchObject({ type: 'send', to: { host: '198.51.100.7', port: 5062 } });
    expect(delivered(outputs).request.via[0]!.params['received']).toBe('198.51.100.7');
  });
});

describe('CANCEL', () => {
  it('answers 200, ends the INVITE with 487 under the early dialog tag, and absorbs the ACK', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request(), UDP));
    core.respond(transactionId, reply(invite, 180));
    const outputs = core.receive(request({ method: 'CANCEL' }), UDP);
    expect(sent(outputs)).toEqual([200, 487]);
    const terminated = outputs.find((o) => o.type === 'send' && o.message.kind === 'response' && o.message.status === 487);
    expect(terminated?.type === 'send' && terminated.message.to.params['tag']).toBe('uas1');
    expect(outputs).toContainEqual(expect.objectContaining({ type: 'cancelled', transactionId }));
    expect(core.receive(request({ method: 'ACK' }), UDP).some((o) => o.type === 'ack')).toBe(false);
    expect(core.serverState(transactionId)).toBe('confirmed');
  });

  it('answers 481 to a CANCEL that matches no INVITE', () => {
    expect(sent(layer().receive(request({ method: 'CANCEL', branch: 'z9hG4bK.none' }), UDP))).toEqual([481]);
  });

  it('answers 200 but changes nothing once the INVITE has its final response', () => {
    const core = layer();
    const { transactionId, request: invite } = delivered(core.receive(request(), UDP));
    core.respond(transactionId, reply(invite, 200));
    const outputs = core.receive(request({ method: 'CANCEL' }), UDP);
    expect(sent(outputs)).toEqual([200]);
    expect(outputs.some((output) => output.type === 'cancelled')).toBe(false);
  });
});

describe('non-INVITE server transaction', () => {
  it('absorbs retransmissions while Trying and resends the final response while Completed', () => {
    const core = layer();
    const first = core.receive(request({ method: 'BYE', branch: 'z9hG4bK.b1' }), UDP);
    expect(sent(first)).toEqual([]);
    const { transactionId, request: bye } = delivered(first);
    expect(core.receive(request({ method: 'BYE', branch: 'z9hG4bK.b1' }), UDP)).toEqual([]);
    const final = core.respond(transactionId, reply(bye, 200));
    expect(started(final)).toEqual(['J=32000']);
    expect(sent(core.receive(request({ method: 'BYE', branch: 'z9hG4bK.b1' }), UDP))).toEqual([200]);
    core.timerFired(timerOf(final, 'J'));
    expect(core.size).toBe(0);
  });

  it('ends at once over TCP (Timer J is zero)', () => {
    const core = layer();
    const { transactionId, request: bye } = delivered(core.receive(request({ method: 'BYE', via: 'SIP/2.0/TCP 192.0.2.10;branch=z9hG4bK.b2' }), TCP));
    expect(started(core.respond(transactionId, reply(bye, 200)))).toEqual([]);
    expect(core.size).toBe(0);
  });

  it('keeps transactions apart by method and sent-by even with the same branch', () => {
    const core = layer();
    delivered(core.receive(request({ method: 'OPTIONS', branch: 'z9hG4bK.same' }), UDP));
    delivered(core.receive(request({ method: 'INFO', branch: 'z9hG4bK.same' }), UDP));
    delivered(core.receive(request({ method: 'OPTIONS', via: 'SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK.same' }), UDP));
    expect(core.size).toBe(3);
  });

  it('matches a retransmission from an RFC 2543 peer without the magic cookie', () => {
    const core = layer();
    const old = { method: 'OPTIONS', via: 'SIP/2.0/UDP 192.0.2.10:5062;branch=1' };
    const { transactionId, request: options } = delivered(core.receive(request(old), UDP));
    core.respond(transactionId, reply(options, 200));
    expect(sent(core.receive(request(old), UDP))).toEqual([200]);
  });

  it('refuses a response for an unknown transaction', () => {
    const core = layer();
    expect(() => core.respond('nope', response(200))).toThrow(SipTransactionError);
  });
});

describe('non-INVITE client transaction', () => {
  const bye = () => request({ method: 'BYE', via: 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK.bye1', cseq: 2 });

  it('retransmits over UDP, hands up provisional and final responses, and absorbs repeats', () => {
    const core = layer();
    const { transactionId, outputs } = core.sendRequest(bye(), UDP);
    expect(sent(outputs)).toEqual(['BYE']);
    expect(started(outputs)).toEqual(['F=32000', 'E=500']);
    const e1 = core.timerFired(timerOf(outputs, 'E'));
    expect(sent(e1)).toEqual(['BYE']);
    expect(started(e1)).toEqual(['E=1000']);
    expect(core.receive(response(100), UDP)).toContainEqual(expect.objectContaining({ type: 'response', transactionId }));
    expect(started(core.timerFired(timerOf(e1, 'E')))).toEqual(['E=4000']);
    const final = core.receive(response(200), UDP);
    expect(final).toContainEqual(expect.objectContaining({ type: 'response', transactionId }));
    expect(cancelled(final)).toBe(2);
    expect(started(final)).toEqual(['K=5000']);
    expect(core.receive(response(200), UDP)).toEqual([]);
    core.timerFired(timerOf(final, 'K'));
    expect(core.size).toBe(0);
  });

  it('reports Timer F when no final response comes', () => {
    const core = layer();
    const { transactionId, outputs } = core.sendRequest(bye(), UDP);
    expect(core.timerFired(timerOf(outputs, 'F'))).toContainEqual({ type: 'request-timeout', transactionId });
    expect(core.size).toBe(0);
  });

  it('drops a response that matches no client transaction', () => {
    expect(layer().receive(response(200, 'z9hG4bK.other'), UDP)).toEqual([]);
  });
});
