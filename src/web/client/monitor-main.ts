/** The monitor page: every conference on the server, live. */
import { ConferenceMonitor } from './monitor-view.ts';
import { byId, connection } from './page-helpers.ts';

const status = byId('monitor-status', HTMLElement);
const serverStatus = byId('server-status', HTMLElement);
const monitor = new ConferenceMonitor(byId('conferences', HTMLElement), {
  headers: connection(location).apiHeaders,
  onStatus(text, failed) {
    status.textContent = text;
    serverStatus.dataset.ok = String(!failed);
    serverStatus.title = failed ? 'Server unreachable' : 'Server connected';
  },
});
monitor.start();
