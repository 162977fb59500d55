import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory, type TestDirectory } from './helpers.ts';

let t: TestDirectory;
beforeEach(async () => {
  t = await makeDirectory();
});
afterEach(() => t.directory.close());

const ids = (query: Parameters<TestDirectory['directory']['searchUsers']>[0]) =>
  t.directory.searchUsers(query).map((match) => match.user.id);

describe('user search', () => {
  it('lists everyone for an empty query', () => {
    expect(ids({})).toEqual(['amos', 'bela', 'chen']);
    expect(ids({ text: '  ' })).toEqual(['amos', 'bela', 'chen']);
  });

  it('finds by display name, id and e-mail, ignoring case', () => {
    expect(ids({ text: 'okafor' })).toEqual(['bela']);
    expect(ids({ text: 'CHEN' })).toEqual(['chen']);
    expect(ids({ text: 'amos@contoso' })).toEqual(['amos']);
    expect(ids({ text: 'contoso.com' })).toEqual(['amos', 'bela', 'chen']);
  });

  it('finds by phone number and extension, also by their digits alone', () => {
    expect(ids({ text: '555 803' })).toEqual(['amos']);
    expect(ids({ text: '5558039175' })).toEqual(['amos']);
    expect(ids({ text: '0018' })).toEqual(['bela']);
  });

  it('needs every word to match', () => {
    expect(ids({ text: 'amos marble' })).toEqual(['amos']);
    expect(ids({ text: 'amos okafor' })).toEqual([]);
  });

  it('filters by lock, expiry and missing PIN', async () => {
    t.directory.lock('bela');
    await t.directory.resetPin('amos', { expired: true });
    expect(ids({ locked: true })).toEqual(['bela']);
    expect(ids({ locked: false })).toEqual(['amos', 'chen']);
    expect(ids({ expired: true })).toEqual(['amos']);
    expect(ids({ noPin: true })).toEqual(['chen']);
    expect(ids({ noPin: false, text: 'contoso' })).toEqual(['amos', 'bela']);
  });

  it('returns each match with its PIN status', () => {
    const [match] = t.directory.searchUsers({ text: 'chen' });
    expect(match!.user).toMatchObject({ id: 'chen', name: 'Chen Wei' });
    expect(match!.status).toMatchObject({ userId: 'chen', pinSet: false, lockedOut: false });
  });
});
