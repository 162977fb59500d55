import { describe, expect, it } from 'vitest';
import type { CoreOutput } from '../../../src/sip/transaction/core-output.ts';
import type { Peer } from '../../../src/sip/transaction/peer.ts';
import { headerValue, headerValues, type SipMessage, type SipRequest } from '../../../src/sip/message/sip-message.ts';
import { TransactionLayer } from '../../../src/sip/transaction/transaction-layer.ts';
import { UasCall } from '../../../src/sip/dialog/uas-call.ts';
import { decode, request, response, SDP_OFFER } from '../helpers/messages.ts';

const PHONE: Peer = { transport: 'udp', host: '192.0.2.10', port: 5062 };

function setup(fields: Parameters<typeof request>[0] = {}, answeredBy: 'core' | 'owner' = 'core') {
  let n = 0;
  const layer = new TransactionLayer({ newTag: () => `t${++n}` });
  const outputs = layer.receive(request(fields), PHONE);
  const delivered = outputs.find((o) => o.type === 'request');
  if (!delivered || delivered.type !== 'request') throw new Error('no INVITE delivered');
  const call = new UasCall(layer, delivered.request, delivered.from, delivered.transactionId, {
    localTag: 'ivr1',
    contact: 'sip:ivr@192.0.2.1:5060',
    via: { transport: 'UDP', host: '192.0.2.1', port: 5060 },
    newBranch: () => `b${++n}`,
    media: { address: '192.0.2.1', port: 30000, sessionId: '5', sessionVersion: 1 },
    answeredBy,
  });
  return { layer, call };
}

const sentMessages = (outputs: readonly CoreOutput[]): SipMessage[] => outputs.flatMap((o) => (o.type === 'send' ? [o.message] : []));
const statuses = (outputs: readonly CoreOutput[]) => sentMessages(outputs).map((m) => (m.kind === 'response' ? m.status : m.method));

describe('UasCall', () => {
  it('rings, answers with SDP, is confirmed by the ACK and ends on the caller BYE', () => {
    const { layer, call } = setup();
    expect(statuses(call.ring().outputs)).toEqual([180]);
    const answered = call.answer();
    const ok = sentMessages(answered.outputs)[0]!;
    expect(ok.kind === 'response' && ok.status).toBe(200);
    expect(ok.to.params['tag']).toBe('ivr1');
    expect(headerValue(ok, 'Contact')).toBe('<sip:ivr@192.0.2.1:5060>');
    expect(decode(ok.body)).toContain('m=audio 30000 RTP/AVP 0 101\r\n');
    expect(answered.events).toEqual([{ type: 'answered', audio: expect.objectContaining({ codec: { name: 'PCMU', payloadType: 0 } }) }]);
    const ack = call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack', toTag: 'ivr1', body: '' }), PHONE));
    expect(ack.events).toEqual([{ type: 'confirmed' }]);
    expect(call.state).toBe('confirmed');
    const bye = call.handle(layer.receive(request({ method: 'BYE', branch: 'z9hG4bK.bye', toTag: 'ivr1', cseq: 21 }), PHONE));
    expect(statuses(bye.outputs)).toEqual([200]);
    expect(bye.events).toEqual([{ type: 'ended', reason: 'remote-bye' }]);
  });

  it('answers 488 when the offer has no G.711', () => {
    const { call } = setup({ body: SDP_OFFER.replace('RTP/AVP 0 101', 'RTP/AVP 101') });
    const step = call.answer();
    expect(statuses(step.outputs)).toEqual([488]);
    expect(step.events).toEqual([{ type: 'ended', reason: 'not-acceptable' }]);
  });

  it('answers 420 listing the extensions an INVITE requires', () => {
    const step = setup({ extra: 'Require: 100rel, timer' }).call.answer();
    const refusal = sentMessages(step.outputs)[0]!;
    expect(refusal.kind === 'response' && refusal.status).toBe(420);
    expect(headerValues(refusal, 'Unsupported')).toEqual(['100rel', 'timer']);
    expect(step.events).toEqual([{ type: 'ended', reason: 'bad-extension' }]);
  });

  it('answers 488 to an INVITE without an offer', () => {
    expect(statuses(setup({ body: '' }).call.answer().outputs)).toEqual([488]);
  });

  it('hangs up with a BYE back to where the INVITE came from', () => {
    const { layer, call } = setup();
    call.answer();
    call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack', toTag: 'ivr1', body: '' }), PHONE));
    const step = call.hangup();
    const bye = sentMessages(step.outputs)[0] as SipRequest;
    expect([bye.method, bye.uri, bye.from.params['tag'], bye.to.params['tag'], bye.cseq.seq]).toEqual(['BYE', 'sip:alice@192.0.2.10:5062;transport=udp', 'ivr1', 'from1', 1]);
    expect(step.outputs.find((o) => o.type === 'send')).toMatchObject({ to: PHONE });
    expect(step.events).toEqual([{ type: 'ended', reason: 'local-bye' }]);
    const branch = bye.via[0]!.params['branch']!;
    const answer = call.handle(layer.receive(response(200, branch, 'BYE', 1), PHONE));
    expect(answer.events).toEqual([]);
    expect(answer.outputs.map((output) => output.type)).toEqual(['cancel-timer', 'cancel-timer', 'start-timer']);
  });

  it('holds a hangup before the ACK until the ACK arrives', () => {
    const { layer, call } = setup();
    call.answer();
    expect(call.hangup()).toEqual({ outputs: [], events: [] });
    const step = call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack', toTag: 'ivr1', body: '' }), PHONE));
    expect(statuses(step.outputs)).toEqual(['BYE']);
    expect(step.events).toEqual([{ type: 'ended', reason: 'local-bye' }]);
  });

  it('hangs up when the 2xx is never acknowledged', () => {
    const { layer, call } = setup();
    const answered = call.answer();
    const giveUp = answered.outputs.find((o) => o.type === 'start-timer' && o.id.endsWith('#give-up'));
    const step = call.handle(layer.timerFired(giveUp!.type === 'start-timer' ? giveUp!.id : ''));
    expect(statuses(step.outputs)).toContain('BYE');
    expect(step.events).toEqual([{ type: 'ended', reason: 'ack-timeout' }]);
  });

  it('ends when the caller cancels before the answer', () => {
    const { layer, call } = setup();
    call.ring();
    const step = call.handle(layer.receive(request({ method: 'CANCEL', body: '' }), PHONE));
    expect(statuses(step.outputs)).toEqual([200, 487]);
    expect(step.events).toEqual([{ type: 'ended', reason: 'cancelled' }]);
    expect(call.answer()).toEqual({ outputs: [], events: [] });
  });

  it('answers a hold re-INVITE with recvonly and a higher session version', () => {
    const { layer, call } = setup();
    call.answer();
    call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack', toTag: 'ivr1', body: '' }), PHONE));
    const hold = SDP_OFFER.replace('o=- 1 1', 'o=- 1 2') + 'a=sendonly\r\n';
    const step = call.handle(layer.receive(request({ branch: 'z9hG4bK.re', toTag: 'ivr1', cseq: 21, body: hold }), PHONE));
    const ok = sentMessages(step.outputs).find((m) => m.kind === 'response' && m.status === 200)!;
    expect(decode(ok.body)).toContain('o=- 5 2 IN IP4 192.0.2.1');
    expect(decode(ok.body)).toContain('a=recvonly');
    expect(step.events).toEqual([{ type: 'media-changed', audio: expect.objectContaining({ onHold: true }) }]);
    const reAck = call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack2', toTag: 'ivr1', cseq: 21, body: '' }), PHONE));
    expect(reAck.events).toEqual([]);
    expect(reAck.outputs.every((output) => output.type === 'cancel-timer')).toBe(true);
    expect(call.state).toBe('confirmed');
  });

  it('answers a hold UPDATE carrying an offer with recvonly, and a bodiless UPDATE with an empty 200', () => {
    const { layer, call } = setup();
    call.answer();
    call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack', toTag: 'ivr1', body: '' }), PHONE));
    const hold = SDP_OFFER.replace('o=- 1 1', 'o=- 1 2') + 'a=inactive\r\n';
    const step = call.handle(layer.receive(request({ method: 'UPDATE', branch: 'z9hG4bK.up', toTag: 'ivr1', cseq: 21, body: hold }), PHONE));
    const ok = sentMessages(step.outputs).find((m) => m.kind === 'response' && m.status === 200)!;
    expect(decode(ok.body)).toContain('a=inactive');
    expect(step.events).toEqual([{ type: 'media-changed', audio: expect.objectContaining({ onHold: true }) }]);
    const refresh = call.handle(layer.receive(request({ method: 'UPDATE', branch: 'z9hG4bK.up2', toTag: 'ivr1', cseq: 22, body: '' }), PHONE));
    const empty = sentMessages(refresh.outputs).find((m) => m.kind === 'response')!;
    expect(empty).toMatchObject({ status: 200, body: new Uint8Array(0) });
    expect(refresh.events).toEqual([]);
    expect(call.state).toBe('confirmed');
  });

  it('answers an out-of-order in-dialog request with 500 and leaves other calls outputs alone', () => {
    const { layer, call } = setup();
    call.answer();
    const step = call.handle(layer.receive(request({ method: 'INFO', branch: 'z9hG4bK.i', toTag: 'ivr1', cseq: 3 }), PHONE));
    expect(statuses(step.outputs)).toEqual([500]);
    const other = layer.receive(request({ method: 'OPTIONS', branch: 'z9hG4bK.o' }), PHONE);
    expect(call.handle(other).outputs).toEqual(other);
  });

  describe('answered by its owner', () => {
    const OWN_ANSWER = new TextEncoder().encode('v=0\r\no=- 77 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 192.0.2.1\r\n');

    function confirmed() {
      const { layer, call } = setup({}, 'owner');
      call.answer(OWN_ANSWER);
      call.handle(layer.receive(request({ method: 'ACK', branch: 'z9hG4bK.ack', toTag: 'ivr1', body: '' }), PHONE));
      return { layer, call };
    }
    const reInvite = (layer: TransactionLayer, cseq: number) =>
      layer.receive(request({ branch: `z9hG4bK.re${cseq}`, toTag: 'ivr1', cseq, body: SDP_OFFER + 'a=sendonly\r\n' }), PHONE);

    it("sends the owner's answer in the 200 and still reports the negotiated audio", () => {
      const { call } = setup({}, 'owner');
      const step = call.answer(OWN_ANSWER);
      const ok = sentMessages(step.outputs)[0]!;
      expect(decode(ok.body)).toBe(decode(OWN_ANSWER));
      expect(step.events).toEqual([{ type: 'answered', audio: expect.objectContaining({ codec: { name: 'PCMU', payloadType: 0 } }) }]);
    });

    it('hands a re-INVITE offer to the owner and answers 200 with what the owner writes', () => {
      const { layer, call } = confirmed();
      const step = call.handle(reInvite(layer, 21));
      // Only the transaction's 100 Trying: the answer waits for the owner.
      expect(statuses(step.outputs)).toEqual([100]);
      const offer = step.events[0];
      expect(offer).toMatchObject({ type: 'offer', sdp: expect.stringContaining('a=sendonly') });
      const answered = call.answerOffer(offer!.type === 'offer' ? offer!.transactionId : '', OWN_ANSWER);
      expect(statuses(answered.outputs)).toEqual([200]);
      expect(decode(sentMessages(answered.outputs)[0]!.body)).toBe(decode(OWN_ANSWER));
      expect(answered.events).toEqual([{ type: 'media-changed', audio: expect.objectContaining({ onHold: true }) }]);
    });

    it('answers 488 when the owner cannot serve the re-offer, and the call goes on', () => {
      const { layer, call } = confirmed();
      const offer = call.handle(reInvite(layer, 21)).events[0]!;
      expect(statuses(call.answerOffer(offer.type === 'offer' ? offer.transactionId : '', undefined).outputs)).toEqual([488]);
      expect(call.state).toBe('confirmed');
    });

    it('answers 500 with a Retry-After of 0 to 10 s to a re-INVITE while another is unanswered (RFC 3261 section 14.2)', () => {
      const { layer, call } = confirmed();
      call.handle(reInvite(layer, 21));
      const second = call.handle(reInvite(layer, 22));
      const busy = sentMessages(second.outputs).find((m) => m.kind === 'response' && m.status === 500)!;
      expect(Number(headerValue(busy, 'Retry-After'))).toBeGreaterThanOrEqual(0);
      expect(Number(headerValue(busy, 'Retry-After'))).toBeLessThanOrEqual(10);
      expect(second.events).toEqual([]);
    });

    it('answers 487 to a re-offer still pending when the caller hung up (RFC 3261 section 15.1.2)', () => {
      const { layer, call } = confirmed();
      const offer = call.handle(reInvite(layer, 21)).events[0]!;
      call.handle(layer.receive(request({ method: 'BYE', branch: 'z9hG4bK.bye', toTag: 'ivr1', cseq: 22 }), PHONE));
      const late = call.answerOffer(offer.type === 'offer' ? offer.transactionId : '', OWN_ANSWER);
      expect(statuses(late.outputs)).toEqual([487]);
      expect(late.events).toEqual([]);
    });
  });
});
