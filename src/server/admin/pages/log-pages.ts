/**
 * The Outbox (the mails as sent, PINs included, admin only), the Audit log
 * (filterable by user, event and admin) and the Live conferences (the
 * monitor's view, from the same listing as /api/conferences).
 */
import type { AuditEntry } from '../../../directory/audit-log.ts';
import type { StoredMail } from '../../../directory/mail/stored-mail.ts';
import type { ConferenceListing } from '../../ivr-bridge.ts';
import { html, type Html } from '../html.ts';
import { when } from './layout.ts';

/** The mail as delivered, newest first; or why there is none to show (mail sent by SMTP is not kept). */
export function outboxPage(messages: readonly StoredMail[] | { readonly unavailable: string }): Html {
  if ('unavailable' in messages) return html`<p>${messages.unavailable}</p>`;
  if (messages.length === 0) return html`<p>The outbox is empty.</p>`;
  return html`<ol class="outbox">${[...messages].reverse().map(
    (message) => html`<li data-outbox-id="${message.id}"><p class="small">${when(message.at)} to ${message.to}${message.userId === null ? '' : ` (user ${message.userId})`}</p>
<p><strong>${message.subject}</strong></p><pre>${message.body}</pre></li>`,
  )}</ol>`;
}

export interface AuditFilter {
  readonly user: string;
  readonly event: string;
  readonly admin: string;
}

/** Whether the entry was written by admin `name`. */
export function byAdmin(entry: AuditEntry, name: string): boolean {
  return entry.actor === `admin ${name}`;
}

export function auditPage(entries: readonly AuditEntry[], filter: AuditFilter, events: readonly string[]): Html {
  const options = ['', ...events].map(
    (event) => html`<option value="${event}"${event === filter.event ? html` selected` : ''}>${event === '' ? 'any' : event}</option>`,
  );
  return html`<form method="get" action="/admin/audit" class="search" role="search">
<label for="audit-user">User</label><input id="audit-user" name="user" value="${filter.user}">
<label for="audit-event">Event</label><select id="audit-event" name="event">${options}</select>
<label for="audit-admin">Admin</label><input id="audit-admin" name="admin" value="${filter.admin}">
<button type="submit">Filter</button>
</form>
<table class="audit"><thead><tr><th scope="col">When</th><th scope="col">User</th><th scope="col">Event</th><th scope="col">By</th><th scope="col">Detail</th></tr></thead>
<tbody>${[...entries].reverse().map(
    (entry) => html`<tr data-audit-id="${entry.id}"><td>${when(entry.at)}</td><td>${entry.userId}</td><td>${entry.event}</td><td>${entry.actor ?? ''}</td><td>${entry.detail}</td></tr>`,
  )}</tbody></table>`;
}

function caller(entry: ConferenceListing['participants'][number]): Html {
  return 'userId' in entry ? html`<li>${entry.userId} (app)</li>` : html`<li>${entry.from ?? 'unknown caller'} <span class="small">${entry.callId}</span></li>`;
}

export function conferencesPage(conferences: readonly ConferenceListing[]): Html {
  return html`<p class="small">As the monitor shows them; reload for the latest state.</p>
<table class="conferences"><thead><tr><th scope="col">Conference</th><th scope="col">Organizer</th><th scope="col">State</th><th scope="col">Lobby</th><th scope="col">Participants</th></tr></thead>
<tbody>${conferences.map(
    (conference) => html`<tr data-conference-id="${conference.id}"><td>${conference.id}</td><td>${conference.organizer}</td><td>${conference.started ? 'started' : 'not started'}</td>
<td><ul>${conference.lobby.map(caller)}</ul></td><td><ul>${conference.participants.map(caller)}</ul></td></tr>`,
  )}</tbody></table>`;
}
