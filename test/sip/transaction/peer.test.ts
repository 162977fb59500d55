import { describe, expect, it } from 'vitest';
import { responseDestination, stampVia, type Peer } from '../../../src/sip/transaction/peer.ts';
import { headerValues } from '../../../src/sip/message/sip-message.ts';
import { request } from '../helpers/messages.ts';

const SOURCE: Peer = { transport: 'udp', host: '203.0.113.9', port: 31000 };

describe('Via stamping and response destination', () => {
  it('adds received and fills rport on the top Via only, keeping the others in the same header', () => {
    const stamped = stampVia(request({ via: 'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb' }), SOURCE);
    expect(headerValues(stamped, 'Via')).toEqual([
      'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport=31000;received=203.0.113.9',
      'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb',
    ]);
  });

  it('leaves the Via alone when it already names the source and asks for no rport', () => {
    const original = request({ via: 'SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bKa' });
    expect(stampVia(original, SOURCE)).toBe(original);
  });

  it('sends UDP responses to received and the sent-by port, or to the source port with rport', () => {
    const plain = stampVia(request({ via: 'SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKa' }), SOURCE).via[0]!;
    expect(responseDestination(plain, SOURCE)).toEqual({ transport: 'udp', host: '203.0.113.9', port: 5070 });
    const noPort = stampVia(request({ via: 'SIP/2.0/UDP 10.0.0.5;branch=z9hG4bKa' }), SOURCE).via[0]!;
    expect(responseDestination(noPort, SOURCE).port).toBe(5060);
    const rport = stampVia(request({ via: 'SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKa;rport' }), SOURCE).via[0]!;
    expect(responseDestination(rport, SOURCE)).toEqual(SOURCE);
  });

  it('answers on the same connection over reliable transports', () => {
    const ws: Peer = { transport: 'wss', host: '203.0.113.9', port: 443, connectionId: 'ws-7' };
    const via = stampVia(request({ via: 'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKa' }), ws).via[0]!;
    expect(responseDestination(via, ws)).toBe(ws);
  });
});
