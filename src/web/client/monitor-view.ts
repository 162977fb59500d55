/**
 * Live view of the server's conferences: polls GET /api/conferences and
 * renders each conference with its state, lobby and participants. Used by
 * the softphone's side panel and by /monitor.html.
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
}

export interface MonitorOptions {
  /** Time between polls, ms. */
  intervalMs: number;
  /** Headers for the API request (e.g. the server's access token). */
  headers: Readonly<Record<string, string>>;
  /** Called after each poll with the status line's text and whether it failed. */
  onStatus?: (text: string, failed: boolean) => void;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = { intervalMs: 500, headers: {} };

export class ConferenceMonitor {
  private readonly options: MonitorOptions;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private lastJson = '';
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
      this.options.onStatus?.(`Live · updated ${new Date().toLocaleTimeString()}`, false);
    } catch (error) {
      this.options.onStatus?.(`Server unreachable (${(error as Error).message})`, true);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.options.intervalMs);
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
    article.append(header, organizer, this.renderList('Lobby', 'lobby', conference.lobby), this.renderList('In meeting', 'participants', conference.participants));
    return article;
  }

  private renderList(title: string, role: string, people: readonly Participant[]): HTMLElement {
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
        if (person.callId === this.ownCallId) item.append(element('span', 'you', 'you'));
      } else {
        item.dataset.userId = person.userId;
        item.append(element('span', 'mono', person.userId), element('span', 'person-from', `via ${person.via}`));
      }
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
