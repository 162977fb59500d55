import { describe, expect, it } from 'vitest';
import { Dialog, SipDialogError } from '../../../src/sip/dialog/dialog.ts';
import { buildResponse } from '../../../src/sip/message/response-builder.ts';
import { headerValues } from '../../../src/sip/message/sip-message.ts';
import { request } from '../helpers/messages.ts';

const LOCAL = { transport: 'UDP', host: '192.0.2.1', port: 5060 };

function dialogFor(extra?: string): Dialog {
  const invite = request({ extra });
  return Dialog.fromInvite(invite, buildResponse(invite, 200, { toTag: 'uas1' }), 'sip:ivr@192.0.2.1:5060', 7);
}

describe('Dialog', () => {
  it('takes its id from Call-ID and tags, and its target from Contact', () => {
    const dialog = dialogFor();
    expect(dialog.id).toEqual({ callId: 'call-1@192.0.2.10', localTag: 'uas1', remoteTag: 'from1' });
    expect(dialog.remoteTarget).toBe('sip:alice@192.0.2.10:5062;transport=udp');
    expect(dialog.remoteSeq).toBe(20);
  });

  it('builds its own BYE with swapped tags, a fresh branch and rising CSeq', () => {
    const dialog = dialogFor();
    const bye = dialog.createRequest('BYE', { branch: 'x1', via: LOCAL });
    expect(bye.uri).toBe('sip:alice@192.0.2.10:5062;transport=udp');
    expect(bye.from).toEqual({ displayName: undefined, uri: 'sip:ivr@192.0.2.1', params: { tag: 'uas1' } });
    expect(bye.to).toEqual({ displayName: 'Alice', uri: 'sip:alice@example.com', params: { tag: 'from1' } });
    expect(bye.via[0]!.params).toEqual({ branch: 'z9hG4bKx1', rport: '' });
    expect([bye.cseq, bye.maxForwards, bye.callId]).toEqual([{ seq: 7, method: 'BYE' }, 70, 'call-1@192.0.2.10']);
    expect(headerValues(bye, 'Route')).toEqual([]);
    expect(dialog.createRequest('INFO', { branch: 'x2', via: LOCAL }).cseq.seq).toBe(8);
  });

  it('routes loosely through the Record-Route set in order', () => {
    const dialog = dialogFor('Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>');
    const bye = dialog.createRequest('BYE', { branch: 'x1', via: LOCAL });
    expect(bye.uri).toBe(dialog.remoteTarget);
    expect(headerValues(bye, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(Dialog.nextHop(bye)).toBe('sip:p1.example.com;lr');
  });

  it('routes strictly when the first route has no lr', () => {
    const dialog = dialogFor('Record-Route: <sip:p1.example.com>, <sip:p2.example.com;lr>');
    const bye = dialog.createRequest('BYE', { branch: 'x1', via: LOCAL });
    expect(bye.uri).toBe('sip:p1.example.com');
    expect(headerValues(bye, 'Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:alice@192.0.2.10:5062;transport=udp>']);
  });

  it('matches in-dialog requests by Call-ID and tags, rejects lower CSeq, and follows a re-INVITE target', () => {
    const dialog = dialogFor();
    expect(dialog.matches(request({ method: 'BYE', toTag: 'uas1', cseq: 21 }))).toBe(true);
    expect(dialog.matches(request({ method: 'BYE', toTag: 'other', cseq: 21 }))).toBe(false);
    expect(dialog.receiveRequest(request({ method: 'BYE', toTag: 'uas1', cseq: 19 }))).toBe('out-of-order');
    const target = request({ toTag: 'uas1', cseq: 22 });
    const retargeted = { ...target, headers: target.headers.map((h) => (h.name === 'Contact' ? { name: 'Contact', value: '<sip:alice@203.0.113.5:5062>' } : h)) };
    expect(dialog.receiveRequest(retargeted)).toBe('ok');
    expect(dialog.remoteTarget).toBe('sip:alice@203.0.113.5:5062');
    expect(dialog.remoteSeq).toBe(22);
  });

  it('needs a To tag and a single Contact', () => {
    const invite = request();
    expect(() => Dialog.fromInvite(invite, buildResponse(invite, 200), 'sip:ivr@192.0.2.1')).toThrow(SipDialogError);
    const noContact = { ...invite, headers: invite.headers.filter((header) => header.name !== 'Contact') };
    expect(() => Dialog.fromInvite(noContact, buildResponse(invite, 200, { toTag: 't' }), 'sip:ivr@192.0.2.1')).toThrow(
      expect.objectContaining({ code: 'E_SIP_DIALOG' }),
    );
  });
});
