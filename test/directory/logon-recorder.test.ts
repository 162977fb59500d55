import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryStore } from '../../src/directory/directory-store.ts';
import { recordFailure, recordSuccess } from '../../src/directory/logon-recorder.ts';
import { openDatabase } from '../../src/directory/sql/database.ts';

let store: DirectoryStore;
beforeEach(async () => {
  store = new DirectoryStore(await openDatabase(':memory:'));
  await store.write('seed', async (tx) => {
    await tx.upsertUser({ id: 'amos', name: 'Amos', email: 'amos@contoso.com', phone: null, extension: null });
    await tx.savePin('amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', 0, false);
  });
});
afterEach(() => store.database.close());

describe('logon recorder', () => {
  it('asks for a retry, counting nothing, when the PIN changed while it was compared', async () => {
    expect(await recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$b2xk$b2xk', '123456')).toBe('retry');
    expect(await recordSuccess(store, 1000, 'amos', 'scrypt$1024$8$1$b2xk$b2xk')).toBe('retry');
    expect((await store.getLock('amos')).globalFailures).toBe(0);
    expect(await store.windowFailures('amos', 1000)).toBe(0);
  });

  it('counts a failure against the current hash', async () => {
    expect(await recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', '123456')).toEqual({ lockedNow: false, resetPin: false });
    expect((await store.getLock('amos')).globalFailures).toBe(1);
  });

  it('reports locked, counting nothing, when another attempt locked the PIN first', async () => {
    await store.write('lock', (tx) => tx.setLock('amos', 'admin', null, 0));
    expect(await recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', '123456')).toBe('locked');
    expect(await recordSuccess(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5')).toBe('locked');
    expect((await store.getLock('amos')).globalFailures).toBe(0);
  });

  it('clears the counts on success', async () => {
    await recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', '123456');
    expect(await recordSuccess(store, 2000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5')).toEqual({ mustChange: false });
    expect((await store.getLock('amos')).globalFailures).toBe(0);
    expect(await store.windowFailures('amos', 2000)).toBe(0);
  });
});
