/**
 * One bridge node in a process of its own, for the tests that kill a node
 * (kill -9) or restart Redis under it: the server of cluster-nodes.ts.
 * Run: node --import tsx node-process.ts REDIS_URL DB_FILE LEASE_MS
 * Prints `ready {"url":...,"sipPort":...}` once listening, then its log lines.
 */
import { startNode } from './cluster-nodes.ts';

const [redis, db, leaseMs] = process.argv.slice(2);
const node = await startNode(redis!, db!, { clusterLeaseMs: Number(leaseMs), log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`ready ${JSON.stringify({ url: node.url })}\n`);
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
