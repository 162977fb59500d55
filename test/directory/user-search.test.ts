import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory, type TestDirectory } from './helpers.ts';
import { directoryBackends } from './backends.ts';

let t: TestDirectory;
afterEach(() => t.directory.close());

const ids = async (query: Parameters<TestDirectory['directory']['searchUsers']>[0]) =>
  (await t.directory.searchUsers(query)).map((match) => match.user.id);

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(async () => {
    t = await makeDirectory({ file: await backend.db() });
  });

  describe('user search', () => {
    it('lists everyone for an empty query', async () => {
      expect(await ids({})).toEqual(['amos', 'bela', 'chen']);
      expect(await ids({ text: '  ' })).toEqual(['amos', 'bela', 'chen']);
    });

    it('finds by display name, id and e-mail, ignoring case', async () => {
      expect(await ids({ text: 'okafor' })).toEqual(['bela']);
      expect(await ids({ text: 'CHEN' })).toEqual(['chen']);
      expect(await ids({ text: 'amos@contoso' })).toEqual(['amos']);
      expect(await ids({ text: 'contoso.com' })).toEqual(['amos', 'bela', 'chen']);
    });

    it('finds by phone number and extension, also by their digits alone', async () => {
      expect(await ids({ text: '555 803' })).toEqual(['amos']);
      expect(await ids({ text: '5558039175' })).toEqual(['amos']);
      expect(await ids({ text: '0018' })).toEqual(['bela']);
    });

    it('needs every word to match', async () => {
      expect(await ids({ text: 'amos marble' })).toEqual(['amos']);
      expect(await ids({ text: 'amos okafor' })).toEqual([]);
    });

    it('filters by lock, expiry and missing PIN', async () => {
      await t.directory.lock('bela');
      await t.directory.resetPin('amos', { expired: true });
      expect(await ids({ locked: true })).toEqual(['bela']);
      expect(await ids({ locked: false })).toEqual(['amos', 'chen']);
      expect(await ids({ expired: true })).toEqual(['amos']);
      expect(await ids({ noPin: true })).toEqual(['chen']);
      expect(await ids({ noPin: false, text: 'contoso' })).toEqual(['amos', 'bela']);
    });

    it('returns each match with its PIN status', async () => {
      const [match] = await t.directory.searchUsers({ text: 'chen' });
      expect(match!.user).toMatchObject({ id: 'chen', name: 'Chen Wei' });
      expect(match!.status).toMatchObject({ userId: 'chen', pinSet: false, lockedOut: false });
    });
  });
});
