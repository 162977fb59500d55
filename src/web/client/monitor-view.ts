/**
 * Live view of the server's conferences: polls GET /api/conferences and
 * renders each conference with its state, lobby and participants, the
 * leader marked. Used by the softphone's side panel and by /monitor.html.
 *
 * When the service cannot be reached the lists stay, greyed and marked
 * stale, and polls back off (doubling up to MAX_RETRY_MS), so an outage
 * costs the browser console one failed request per retry, not two a second;
 * the page's own console says once that the service went away and once
 * that it is back.
 */

export type Participant =
  | { readonly callId: string; readonly from?: string }
  | { readonly userId: string; readonly via: string };

export interface ConferenceSummary {
  readonly id: string;
  readonly organizer: string;
  readonly started: boolean;
  readonly lobby: readonly Participant[];
  readonly participants: readonly Participant[];
  /** The participant id (a call id, or `app:` and a user id) of the leader of a started meeting, when the service says. */
  readonly leader?: string;
}

export interface MonitorStatus {
  readonly reachable: boolean;
  /** The status line: live and when updated, or unreachable and when the next try is. */
  readonly text: string;
  /** Seconds until the next try, when unreachable. */
  readonly retryInS?: number;
}

/** Longest wait between polls while the service is unreachable. */
export const MAX_RETRY_MS = 8000;

export interface MonitorOptions {
  /** Time between polls, ms. */
  intervalMs: number;
  /** Headers for the API request (e.g. the server's access token). */
  headers: Readonly<Record<string, string>>;
  /** Called after each poll. */
  onStatus?: (status: MonitorStatus) => void;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = { intervalMs: 500, headers: {} };

export class ConferenceMonitor {
  private readonly options: MonitorOptions;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private lastJson = '';
  /** Polls failed in a row. */
  private failures = 0;
  private lastUpdate: string | undefined;
  /** Call id of this page's own call, marked "you" in the lists. */
  ownCallId: string | undefined;

  constructor(private readonly container: HTMLElement, options: Partial<MonitorOptions> = {}) {
    this.options = { ...DEFAULT_MONITOR_OPTIONS, ...options };
  }

  start(): void {
    this.stopped = false;
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Polls now instead of waiting for the next tick. */
  refresh(): void {
    clearTimeout(this.timer);
    void this.poll();
  }

  private async poll(): Promise<void> {
    try {
      const response = await fetch('/api/conferences', { headers: this.options.headers, signal: AbortSignal.timeout(3000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const conferences = (await response.json()) as ConferenceSummary[];
      if (!Array.isArray(conferences)) throw new Error('unexpected response');
      const json = JSON.stringify(conferences) + (this.ownCallId ?? '');
      if (json !== this.lastJson) {
        this.lastJson = json;
        this.render(conferences);
      }
      if (this.failures > 0) console.info('dialin-sim: the service is reachable again');
      this.failures = 0;
      this.container.removeAttribute('data-stale');
      this.lastUpdate = new Date().toLocaleTimeString();
      this.options.onStatus?.({ reachable: true, text: `Live · updated ${this.lastUpdate}` });
    } catch (error) {
      if (this.failures === 0) console.warn(`dialin-sim: cannot reach the service (${(error as Error).message}); retrying with backoff`);
      this.failures++;
      this.container.dataset.stale = 'true';
      const stale = this.lastUpdate === undefined ? '' : ` · showing stale data from ${this.lastUpdate}`;
      const retryInS = Math.round(this.delayMs() / 1000);
      this.options.onStatus?.({ reachable: false, retryInS, text: `Cannot reach the service · retrying in ${retryInS} s${stale}` });
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.delayMs());
  }

  /** The wait before the next poll: the interval, doubled for each failure in a row beyond the first. */
  private delayMs(): number {
    if (this.failures === 0) return this.options.intervalMs;
    return Math.min(MAX_RETRY_MS, Math.max(1000, this.options.intervalMs) * 2 ** (this.failures - 1));
  }

  private render(conferences: readonly ConferenceSummary[]): void {
    if (conferences.length === 0) {
      const empty = element('p', 'empty', 'No conferences configured.');
      this.container.replaceChildren(empty);
      return;
    }
    this.container.replaceChildren(...conferences.map((conference) => this.renderConference(conference)));
  }

  private renderConference(conference: ConferenceSummary): HTMLElement {
    const article = element('article', 'conference');
    article.dataset.conferenceId = conference.id;
    article.dataset.started = String(conference.started);
    const header = element('header', 'conference-header');
    const title = element('h3', 'conference-id mono', conference.id);
    const badge = element('span', `badge ${conference.started ? 'badge-ok' : 'badge-wait'}`, conference.started ? 'Started' : 'Waiting for leader');
    const organizer = element('p', 'conference-organizer', `Organizer ${conference.organizer}`);
    header.append(title, badge);
    const participants = this.renderList('In meeting', 'participants', conference.participants, conference.leader);
    article.append(header, organizer, this.renderList('Lobby', 'lobby', conference.lobby), participants);
    return article;
  }

  private renderList(title: string, role: string, people: readonly Participant[], leader?: string): HTMLElement {
    const section = element('section', `people people-${role}`);
    section.dataset.list = role;
    const heading = element('h4', '', `${title} `);
    heading.append(element('span', 'count', String(people.length)));
    const list = element('ul', 'people-list');
    for (const person of people) {
      const item = element('li', 'person');
      if ('callId' in person) {
        item.dataset.callId = person.callId;
        item.append(element('span', 'mono', person.callId), element('span', 'person-from', person.from ?? 'unknown caller'));
      } else {
        item.dataset.userId = person.userId;
        item.append(element('span', 'mono', person.userId), element('span', 'person-from', `via ${person.via}`));
      }
      if (leader !== undefined && leader === ('callId' in person ? person.callId : `app:${person.userId}`)) {
        item.dataset.leader = 'true';
        item.append(element('span', 'tag leader', 'leader'));
      }
      if ('callId' in person && person.callId === this.ownCallId) item.append(element('span', 'tag you', 'you'));
      list.append(item);
    }
    if (people.length === 0) list.append(element('li', 'person person-none', 'nobody'));
    section.append(heading, list);
    return section;
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
