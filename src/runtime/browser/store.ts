/// <reference lib="dom" />
/**
 * The page's checkpoint in IndexedDB, one per model and params, so that a
 * reload resumes training where it stopped. The value is checkpoint.gck's
 * bytes (checkpoint_format.ts): what is kept is what a download gives.
 */
const DATABASE = 'graphc';
const STORE = 'checkpoints';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
  });
}

async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

export async function loadCheckpointBytes(key: string): Promise<Uint8Array | undefined> {
  const value = await transact<unknown>('readonly', (store) => store.get(key));
  return value instanceof Uint8Array ? value : undefined;
}

export function saveCheckpointBytes(key: string, bytes: Uint8Array): Promise<unknown> {
  return transact('readwrite', (store) => store.put(bytes, key));
}

export function deleteCheckpoint(key: string): Promise<unknown> {
  return transact('readwrite', (store) => store.delete(key));
}
