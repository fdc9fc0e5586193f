// The outbox: sales made while the server could not be reached, kept in this terminal's
// IndexedDB until the server has recorded them (sync.ts sends them), and the ones it refused,
// kept until someone discards them. A sale is written with `durability: 'strict'`, so that once
// the PDV says "venda guardada" a power cut does not take it away. Every tab of the terminal
// hears of a change (BroadcastChannel), so counts and lists stay right everywhere.
import type { DBSchema } from 'idb';
import type { OfflineSale } from '../../../api/types';
import { database } from '../../../lib/deviceDb';
import type { Cart } from '../cart';
import type { PaymentLine } from '../payments';

export interface PendingSale {
  /** the terminal's id of the sale (a UUID): the server records one sale per id */
  client_id: string;
  /** when it was made at the terminal (RFC 3339), sent as `sold_at` */
  made_at: string;
  seller: { id: number; username: string };
  /** the store it was sold in, when the PDV asked (its id is in `body` too) */
  store?: { id: number; name: string };
  /** what POST /api/sales gets */
  body: OfflineSale;
  /** the cart and the payments as they were, for the lists and the receipt */
  cart: Cart;
  lines: PaymentLine[];
  /** the user whose sending the server refused (403: an employee sending another seller's sale);
   * it waits for the seller or an administrator */
  forbidden_for?: number;
}

export interface RefusedSale extends PendingSale {
  refusal: { status: number; message: string; at: string };
}

interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: PendingSale; indexes: { made_at: string } };
  refused: { key: string; value: RefusedSale; indexes: { made_at: string } };
}

const db = database<OutboxSchema>('sv-pdv', 1, (d) => {
  d.createObjectStore('outbox', { keyPath: 'client_id' }).createIndex('made_at', 'made_at');
  d.createObjectStore('refused', { keyPath: 'client_id' }).createIndex('made_at', 'made_at');
});

/** `kept`: a new sale waits; `changed`: one was sent, refused, discarded or marked. */
export type OutboxEvent = 'kept' | 'changed';
type Listener = (event: OutboxEvent) => void;

const listeners = new Set<Listener>();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('sv-outbox');
channel?.addEventListener('message', (e: MessageEvent<OutboxEvent>) => tell(e.data));

function tell(event: OutboxEvent) {
  for (const l of listeners) l(event);
}

function changed(event: OutboxEvent) {
  tell(event);
  // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a BroadcastChannel stays in this origin
  channel?.postMessage(event);
}

export function subscribeOutbox(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Keeps a sale; resolves once it is on disk. */
export async function keepSale(sale: PendingSale): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.add(sale), tx.done]);
  changed('kept');
}

/** The sales waiting to be sent, oldest first. */
export async function waitingSales(): Promise<PendingSale[]> {
  return (await db()).getAllFromIndex('outbox', 'made_at');
}

/** The sales the server refused, oldest first. */
export async function refusedSales(): Promise<RefusedSale[]> {
  return (await db()).getAllFromIndex('refused', 'made_at');
}

/** The server recorded it (2xx): it leaves the terminal. */
export async function markSent(clientId: string): Promise<void> {
  await (await db()).delete('outbox', clientId);
  changed('changed');
}

/** The server refused it for good (400, 404, 409, 422): kept apart with the server's reason. */
export async function markRefused(sale: PendingSale, status: number, message: string): Promise<void> {
  const tx = (await db()).transaction(['outbox', 'refused'], 'readwrite', { durability: 'strict' });
  const refused: RefusedSale = { ...sale, refusal: { status, message, at: new Date().toISOString() } };
  await Promise.all([tx.objectStore('refused').put(refused), tx.objectStore('outbox').delete(sale.client_id), tx.done]);
  changed('changed');
}

/** The server would not take it from this user (403): it waits for the seller or an administrator. */
export async function markForbidden(sale: PendingSale, userId: number): Promise<void> {
  await (await db()).put('outbox', { ...sale, forbidden_for: userId });
  changed('changed');
}

/** Someone decided a refused sale is not to be recorded. */
export async function discardRefused(clientId: string): Promise<void> {
  await (await db()).delete('refused', clientId);
  changed('changed');
}
