/** What `--redis` accepts, checked without loading the Redis client (a server without --redis never loads it). */

/** `redis://` or, with TLS, `rediss://`, then at least a host. */
export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\/./.test(url);
}
