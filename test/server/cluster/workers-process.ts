/**
 * `serve --workers 2` in a process of its own, from the library API (the
 * CLI waits for a PostgreSQL directory; here the workers share a SQLite
 * file on one machine): the primary prints `ready {...}` once every worker
 * listens; the workers run this same file (node:cluster).
 * Run: node --import tsx workers-process.ts REDIS_URL DB_FILE HTTP_PORT SIP_PORT
 */
import cluster from 'node:cluster';
import { runWorker, startWorkers } from '../../../src/server/cluster/workers.ts';
import { TEST_FLOW } from './cluster-nodes.ts';

const [redis, db, port, sipPort] = process.argv.slice(2);
const log = (line: string) => process.stdout.write(`${line}\n`);
const options = { port: Number(port), sipPort: Number(sipPort), host: '127.0.0.1', db, redis, playbackSpeed: 4, maxAudioLeadMs: 5000, flow: TEST_FLOW, log };

if (cluster.isPrimary) {
  const workers = await startWorkers(2, options, log);
  log(`ready ${JSON.stringify({ url: workers.url, sipPort: workers.sipPort, pin: workers.demoPin })}`);
  process.once('SIGTERM', () => void workers.close().then(() => process.exit(0)));
} else {
  await runWorker(options);
}
