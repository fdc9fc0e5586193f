// The last answer of the GET requests the PDV needs without the server (the catalog, the
// settings, the payment methods' names, the operator's cash session), kept on the terminal so
// that a reload with the server unreachable still sells with what was last seen.
import type { DBSchema } from 'idb';
import { database } from '../lib/deviceDb';
import { isUnreachable } from './client';

export interface Copy<T> {
  value: T;
  /** the answer's ETag, to ask again with If-None-Match */
  etag?: string;
  saved_at: string;
}

interface CopiesSchema extends DBSchema {
  copies: { key: string; value: Copy<unknown> };
}

const db = database<CopiesSchema>('sv-copias', 1, (d) => d.createObjectStore('copies'));

export async function readCopy<T>(key: string): Promise<Copy<T> | undefined> {
  try {
    return (await (await db()).get('copies', key)) as Copy<T> | undefined;
  } catch {
    return undefined; // nothing kept (private mode, no IndexedDB): as if never seen
  }
}

export async function saveCopy<T>(key: string, value: T, etag?: string): Promise<void> {
  const copy: Copy<T> = { value, saved_at: new Date().toISOString(), ...(etag ? { etag } : {}) };
  try {
    await (await db()).put('copies', copy, key);
  } catch {
    // a copy that could not be kept only matters offline
  }
}

/**
 * `fetch`, keeping its answer under `key`; when the server cannot be reached, the answer kept
 * last time (the error when there is none).
 */
export function withOfflineCopy<T>(key: string, fetch: () => Promise<T>): () => Promise<T> {
  return async () => {
    try {
      const value = await fetch();
      void saveCopy(key, value); // in the background: the answer is not held up by the disk
      return value;
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      const copy = await readCopy<T>(key);
      if (!copy) throw e;
      return copy.value;
    }
  };
}
