import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';
import { setServerReachable } from '../api/connectivity';

afterEach(async () => {
  cleanup();
  localStorage.clear();
  setServerReachable(true);
  // What the terminal keeps (offline copies, the outbox) starts empty in every test; the
  // modules' open connections close themselves when a database is deleted.
  const databases = await indexedDB.databases();
  await Promise.all(
    databases.map(
      ({ name }) =>
        new Promise<void>((done, fail) => {
          const r = indexedDB.deleteDatabase(name!);
          r.addEventListener('success', () => done());
          r.addEventListener('error', () => fail(r.error));
        }),
    ),
  );
});
