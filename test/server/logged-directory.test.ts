import { describe, expect, it } from 'vitest';
import { DirectoryError } from '../../src/directory/errors.ts';
import type { DirectoryPort } from '../../src/flow/directory-port.ts';
import { logDirectoryFailures } from '../../src/server/logged-directory.ts';

const down = new DirectoryError('E_DB_UNAVAILABLE', 'postgres://ivr@db/dialin is unavailable (ECONNREFUSED): cannot look up a conference');

function failing(error: unknown): DirectoryPort {
  return {
    findConference: async () => Promise.reject(error),
    verifyLeaderPin: async () => Promise.reject(error),
    changePin: async () => Promise.reject(error),
    pinEntryLimits: () => ({ maxPinDigits: 12 }),
  };
}

describe('logDirectoryFailures', () => {
  it('logs one line per failed lookup and passes the error on to the call', async () => {
    const lines: string[] = [];
    const directory = logDirectoryFailures(failing(down), (line) => lines.push(line));
    await expect(directory.verifyLeaderPin('123456', '24680')).rejects.toBe(down);
    expect(lines).toEqual([`directory failed: E_DB_UNAVAILABLE ${down.message}`]);
    await expect(directory.findConference('123456')).rejects.toBe(down);
    expect(lines).toHaveLength(2);
  });

  it('names only the class of an error that is not a directory error, since its message could quote the keys', async () => {
    const lines: string[] = [];
    const directory = logDirectoryFailures(failing(new TypeError('cannot read 24680')), (line) => lines.push(line));
    await expect(directory.changePin('amos', '24680')).rejects.toThrow(TypeError);
    expect(lines).toEqual(['directory failed: unexpected TypeError']);
  });

  it('logs nothing when the directory answers', async () => {
    const lines: string[] = [];
    const answering: DirectoryPort = { ...failing(down), findConference: async () => undefined };
    await expect(logDirectoryFailures(answering, (line) => lines.push(line)).findConference('999')).resolves.toBeUndefined();
    expect(lines).toEqual([]);
  });
});
