// What this terminal keeps in IndexedDB (through `idb`): each owner (the API's offline copies,
// the PDV's outbox) names its database and opens it with `database()`. The connection is opened
// once and given up when another tab needs to upgrade or delete the database (and when the
// browser closes it), so that a later call opens it again rather than using a dead one.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

export function database<S extends DBSchema>(name: string, version: number, upgrade: (db: IDBPDatabase<S>) => void): () => Promise<IDBPDatabase<S>> {
  let connection: Promise<IDBPDatabase<S>> | null = null;
  return () => {
    if (typeof indexedDB === 'undefined') return Promise.reject(new Error('Este navegador não guarda dados (IndexedDB indisponível).'));
    connection ??= openDB<S>(name, version, {
      upgrade: (db) => upgrade(db),
      blocking: () => {
        void connection?.then((db) => db.close());
        connection = null;
      },
      terminated: () => {
        connection = null;
      },
    }).catch((e: unknown) => {
      connection = null;
      throw e;
    });
    return connection;
  };
}

/** Asks the browser not to evict what this site keeps (sales waiting to be sent) when the disk
 * fills up. Only possible on https or localhost; elsewhere the browser decides. */
export function askPersistentStorage(): void {
  void navigator.storage?.persist?.().catch(() => {});
}
