import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/directory/database.ts';
import { DirectoryStore } from '../../src/directory/directory-store.ts';
import { recordFailure, recordSuccess } from '../../src/directory/logon-recorder.ts';

let store: DirectoryStore;
beforeEach(() => {
  store = new DirectoryStore(openDatabase(':memory:'), ':memory:');
  store.write('seed', () => {
    store.upsertUser({ id: 'amos', name: 'Amos', email: 'amos@contoso.com', phone: null, extension: null });
    store.savePin('amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', 0, false);
  });
});
afterEach(() => store.db.close());

describe('logon recorder', () => {
  it('asks for a retry, counting nothing, when the PIN changed while it was compared', () => {
    expect(recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$b2xk$b2xk', '123456')).toBe('retry');
    expect(recordSuccess(store, 1000, 'amos', 'scrypt$1024$8$1$b2xk$b2xk')).toBe('retry');
    expect(store.getLock('amos').globalFailures).toBe(0);
    expect(store.windowFailures('amos', 1000)).toBe(0);
  });

  it('counts a failure against the current hash', () => {
    expect(recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', '123456')).toEqual({ lockedNow: false, resetPin: false });
    expect(store.getLock('amos').globalFailures).toBe(1);
  });

  it('reports locked, counting nothing, when another attempt locked the PIN first', () => {
    store.write('lock', () => store.setLock('amos', 'admin', null, 0));
    expect(recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', '123456')).toBe('locked');
    expect(recordSuccess(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5')).toBe('locked');
    expect(store.getLock('amos').globalFailures).toBe(0);
  });

  it('clears the counts on success', () => {
    recordFailure(store, 1000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5', '123456');
    expect(recordSuccess(store, 2000, 'amos', 'scrypt$1024$8$1$c2FsdA==$a2V5')).toEqual({ mustChange: false });
    expect(store.getLock('amos').globalFailures).toBe(0);
    expect(store.windowFailures('amos', 2000)).toBe(0);
  });
});
