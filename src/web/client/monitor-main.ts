/** The monitor page: every conference on the server, live. */
import { ConferenceMonitor } from './monitor-view.ts';
import { byId, connection, showServiceStatus } from './page-helpers.ts';

const status = byId('monitor-status', HTMLElement);
const serverStatus = byId('server-status', HTMLElement);
const monitor = new ConferenceMonitor(byId('conferences', HTMLElement), {
  headers: connection(location).apiHeaders,
  onStatus(next) {
    status.textContent = next.text;
    showServiceStatus(serverStatus, next.reachable);
  },
});
monitor.start();
