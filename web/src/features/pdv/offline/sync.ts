// Sends the outbox (outbox.ts) when the server answers again: oldest sale first, one sender per
// terminal (a Web Lock held by one tab; the others skip their turn), each sale removed only
// after the server answered 2xx for it. The sale's `client_id` makes a resend harmless: the
// server answers the sale it already has (a reply lost on the way back, a crash before the
// removal).
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, isUnreachable, request } from '../../../api/client';
import { serverReachable, subscribeReachable } from '../../../api/connectivity';
import type { OfflineSale, Sale } from '../../../api/types';
import { getSession, subscribeSession } from '../../../app/session';
import { createSale, SALE_STALES } from '../../sales/api';
import { invalidate } from '../../../api/keys';
import { needsApproval } from '../discountLimit';
import { markForbidden, markRefused, markSent, subscribeOutbox, waitingSales } from './outbox';

/** `done`: nothing left this user can send; `retry`: the server is not answering (or is
 * failing), try later; `login`: no session (or it expired): after the next login; `busy`:
 * another tab is sending. */
export type SendOutcome = 'done' | 'retry' | 'login' | 'busy';

export interface SendDeps {
  post: (sale: OfflineSale, signal: AbortSignal) => Promise<Sale>;
  /** navigator.locks (absent where the page is not a secure context: plain http to another computer) */
  locks: Pick<LockManager, 'request'> | undefined;
  userId: () => number | null;
}

export const LOCK_NAME = 'sv-outbox-sender';
const SEND_TIMEOUT_MS = 15_000;

const browserDeps: SendDeps = {
  post: (sale, signal) => createSale(sale, undefined, signal),
  locks: typeof navigator === 'undefined' ? undefined : navigator.locks,
  userId: () => getSession()?.user.id ?? null,
};

// Without Web Locks only this tab is kept from sending twice at once; another tab may send the
// same sale meanwhile, and the server records it once (client_id).
let sendingHere = false;

/** Sends what waits, if no other tab of this terminal is doing it. */
export async function sendWaiting(deps: SendDeps = browserDeps): Promise<{ outcome: SendOutcome; sent: Sale[] }> {
  const sent: Sale[] = [];
  const run = async (): Promise<SendOutcome> => {
    if (sendingHere) return 'busy';
    sendingHere = true;
    try {
      return await sendAll(deps, sent);
    } finally {
      sendingHere = false;
    }
  };
  const outcome = deps.locks ? await deps.locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? run() : 'busy')) : await run();
  return { outcome, sent };
}

async function sendAll(deps: SendDeps, sent: Sale[]): Promise<SendOutcome> {
  const me = deps.userId();
  if (me === null) return 'login';
  for (const sale of await waitingSales()) {
    if (sale.forbidden_for === me) continue;
    try {
      sent.push(await deps.post(sale.body, AbortSignal.timeout(SEND_TIMEOUT_MS)));
      await markSent(sale.client_id);
    } catch (e) {
      if (!(e instanceof ApiError) || isUnreachable(e) || e.status >= 500 || e.status === 408 || e.status === 429) return 'retry';
      if (e.status === 401) return 'login'; // client.ts ended the session: the login page, and back
      if (e.status === 403 && !needsApproval(e)) await markForbidden(sale, me);
      else await markRefused(sale, e.status, e.message);
    }
  }
  return 'done';
}

const FIRST_RETRY_MS = 3_000;
const LAST_RETRY_MS = 30_000;

let running: (() => void) | null = null;

/** Sends at once (the PDV's "Enviar agora"), if the sending was started. */
export function syncNow(): void {
  running?.();
}

/**
 * Sends the outbox whenever it may go through: now, when the browser says it is online again,
 * after a login, when a request finds the server again, and while sales wait, every few seconds
 * (3 s, doubling up to 30 s). While the server is unreachable with nothing to send, it is asked
 * for GET /api/info as often, so the PDV learns it is back. Returns the stop function.
 */
export function startOutboxSync(qc: QueryClient, deps: SendDeps = browserDeps): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = FIRST_RETRY_MS;
  let busy = false;
  let again = false;

  function later() {
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), delay);
    delay = Math.min(delay * 2, LAST_RETRY_MS);
  }

  async function tick() {
    clearTimeout(timer);
    timer = undefined;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const { outcome, sent } = await sendWaiting(deps);
      if (sent.length > 0) void invalidate(qc, SALE_STALES);
      if (outcome === 'retry' || outcome === 'busy') return later();
      if (outcome === 'done' && !serverReachable()) {
        await request('/api/info').catch(() => {});
        if (!serverReachable()) return later();
      }
      delay = FIRST_RETRY_MS;
    } catch {
      later(); // the outbox could not be read: try again
    } finally {
      busy = false;
      if (again) {
        again = false;
        void tick();
      }
    }
  }

  const now = () => {
    delay = FIRST_RETRY_MS;
    void tick();
  };
  let user = getSession()?.user.id ?? null;
  const stops = [
    subscribeSession(() => {
      const next = getSession()?.user.id ?? null;
      if (next !== null && next !== user) now();
      user = next;
    }),
    subscribeReachable(() => {
      if (serverReachable()) now();
    }),
    subscribeOutbox((event) => {
      if (event === 'kept' && timer === undefined && !busy) later();
    }),
  ];
  window.addEventListener('online', now);
  running = now;
  now();
  return () => {
    clearTimeout(timer);
    window.removeEventListener('online', now);
    for (const stop of stops) stop();
    if (running === now) running = null;
  };
}
