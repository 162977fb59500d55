/** Small DOM and URL helpers shared by the softphone and monitor pages. */

/** The element with `id`, checked to be of the expected class. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`page is missing #${id}`);
  return found;
}

/**
 * Where the server is, from the page's own address: the /call WebSocket on
 * the same host, and an access token passed as `?token=` if the server
 * wants one (sent as a query parameter to /call, as a bearer header to the API).
 */
export function connection(location: Location): { wsUrl: string; apiHeaders: Record<string, string> } {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsUrl = `${scheme}//${location.host}/call${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return { wsUrl, apiHeaders: token ? { authorization: `Bearer ${token}` } : {} };
}

/** Shows a peak level (0 to 1) on a meter bar, on a dB scale from -60 dBFS. */
export function setLevel(meter: HTMLElement, peak: number): void {
  const db = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
  const fraction = Math.min(1, Math.max(0, (db + 60) / 60));
  meter.style.setProperty('--level', fraction.toFixed(3));
  meter.setAttribute('aria-valuenow', Number.isFinite(db) ? db.toFixed(0) : '-60');
}

/** Shows on the top bar's status dot whether the service answers, by colour and by name. */
export function showServiceStatus(dot: HTMLElement, reachable: boolean): void {
  const name = reachable ? 'Service reachable' : 'Cannot reach the service';
  dot.dataset.ok = String(reachable);
  dot.title = name;
  dot.setAttribute('aria-label', name);
}
