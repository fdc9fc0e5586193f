import { QueryClient } from '@tanstack/react-query';
import { waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/client';
import type { OfflineSale, Sale } from '../../../api/types';
import { clearSession, setSession } from '../../../app/session';
import { json, keptSale, sale, user } from '../../../test/fixtures';
import { keepSale, refusedSales, waitingSales } from './outbox';
import { LOCK_NAME, type SendDeps, sendWaiting, startOutboxSync } from './sync';

/** navigator.locks as the browser has it, for one page: `ifAvailable` gets null while held. */
function fakeLocks(): Pick<LockManager, 'request'> {
  const held = new Set<string>();
  const request = async (name: string, options: LockOptions, callback: (lock: Lock | null) => unknown) => {
    if (held.has(name)) {
      if (options.ifAvailable) return callback(null);
      throw new Error('this fake only knows ifAvailable');
    }
    held.add(name);
    try {
      return await callback({ name, mode: 'exclusive' } as Lock);
    } finally {
      held.delete(name);
    }
  };
  return { request: request as LockManager['request'] };
}

const network = () => new ApiError(0, 'Não foi possível falar com o servidor.');

function deps(answer: (body: OfflineSale) => Promise<Sale>, userId: number | null = 7, locks = fakeLocks()) {
  const post = vi.fn((body: OfflineSale) => answer(body));
  const d: SendDeps = { post, locks, userId: () => userId };
  const sentIds = () => post.mock.calls.map(([b]) => b.client_id);
  return { deps: d, post, sentIds };
}

async function keepThree() {
  // Written out of order: they go by the time they were made.
  await keepSale(keptSale('b', '2026-12-01T11:00:00Z'));
  await keepSale(keptSale('a', '2026-12-01T10:00:00Z'));
  await keepSale(keptSale('c', '2026-12-01T12:00:00Z'));
}

const waitingIds = async () => (await waitingSales()).map((s) => s.client_id);

afterEach(() => clearSession());

describe('sending the outbox', () => {
  it('sends the oldest first, each as it was made, and removes each once the server answered 2xx', async () => {
    await keepThree();
    const t = deps(async (b) => sale(1, { client_id: b.client_id }));
    expect((await sendWaiting(t.deps)).outcome).toBe('done');
    expect(t.sentIds()).toEqual(['a', 'b', 'c']);
    expect(t.post.mock.calls[0]![0]).toMatchObject({ sold_at: '2026-12-01T10:00:00.000Z', user_id: 7, cash_session_id: 3 });
    expect(await waitingIds()).toEqual([]);
  });

  it('a sale kept in a store the PDV named goes with its store_id; one kept without a store, without', async () => {
    await keepSale(keptSale('bairro', '2026-12-01T10:00:00Z', undefined, { id: 2, name: 'Loja Bairro' }));
    await keepSale(keptSale('unica', '2026-12-01T11:00:00Z'));
    const t = deps(async (b) => sale(1, { client_id: b.client_id }));
    await sendWaiting(t.deps);
    expect(t.post.mock.calls[0]![0]).toMatchObject({ client_id: 'bairro', store_id: 2 });
    expect(t.post.mock.calls[1]![0]).not.toHaveProperty('store_id');
  });

  it('a network failure or a 5xx stops the sending: what was not answered 2xx stays, in order', async () => {
    await keepThree();
    const down = deps(async (b) => {
      if (b.client_id === 'b') throw network();
      return sale(1);
    });
    expect((await sendWaiting(down.deps)).outcome).toBe('retry');
    expect(down.sentIds()).toEqual(['a', 'b']); // c is not tried after the failure
    expect(await waitingIds()).toEqual(['b', 'c']);

    const failing = deps(async () => {
      throw new ApiError(500, 'Erro interno');
    });
    expect((await sendWaiting(failing.deps)).outcome).toBe('retry');
    expect(await waitingIds()).toEqual(['b', 'c']);
  });

  it('a 401 stops and keeps everything for after the login; without a session nothing is sent', async () => {
    await keepThree();
    const expired = deps(async () => {
      throw new ApiError(401, 'Token expirado');
    });
    expect((await sendWaiting(expired.deps)).outcome).toBe('login');
    expect(expired.sentIds()).toEqual(['a']);
    expect(await waitingIds()).toEqual(['a', 'b', 'c']);

    const loggedOut = deps(async () => sale(1), null);
    expect((await sendWaiting(loggedOut.deps)).outcome).toBe('login');
    expect(loggedOut.post).not.toHaveBeenCalled();
  });

  it('a 403 (another seller’s sale) keeps it waiting for that seller or an administrator, and goes on with the others', async () => {
    await keepSale(keptSale('ana', '2026-12-01T10:00:00Z', { id: 8, username: 'ana' }));
    await keepSale(keptSale('mine', '2026-12-01T11:00:00Z'));
    const employee = deps(async (b) => {
      if (b.user_id !== 7) throw new ApiError(403, 'Um funcionário só envia as próprias vendas');
      return sale(1);
    });
    expect((await sendWaiting(employee.deps)).outcome).toBe('done');
    expect(employee.sentIds()).toEqual(['ana', 'mine']);
    const [waiting] = await waitingSales();
    expect(waiting).toMatchObject({ client_id: 'ana', forbidden_for: 7, seller: { username: 'ana' } });

    // The same user is not asked again; an administrator sends it as ana's.
    const again = deps(async () => sale(1));
    await sendWaiting(again.deps);
    expect(again.post).not.toHaveBeenCalled();
    const admin = deps(async () => sale(1), 1);
    await sendWaiting(admin.deps);
    expect(admin.post.mock.calls[0]![0]).toMatchObject({ client_id: 'ana', user_id: 8 });
    expect(await waitingIds()).toEqual([]);
  });

  it('another refusal (400, 404, 409, 422) moves the sale to the refused ones with the server’s message, never dropping it', async () => {
    await keepThree();
    const refusing = deps(async (b) => {
      if (b.client_id === 'a') throw new ApiError(422, 'O preço de Café (R$ 10,00) não vale no período');
      if (b.client_id === 'b') throw new ApiError(400, 'Venda feita há mais de 72 horas');
      return sale(1);
    });
    expect((await sendWaiting(refusing.deps)).outcome).toBe('done');
    expect(await waitingIds()).toEqual([]);
    const refused = await refusedSales();
    expect(refused.map((s) => [s.client_id, s.refusal.status, s.refusal.message])).toEqual([
      ['a', 422, 'O preço de Café (R$ 10,00) não vale no período'],
      ['b', 400, 'Venda feita há mais de 72 horas'],
    ]);
  });

  it('one sender per terminal: while one holds the lock another skips, and each sale is posted once', async () => {
    await keepThree();
    const locks = fakeLocks();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = deps(async () => {
      await gate;
      return sale(1);
    }, 7, locks);
    const second = deps(async () => sale(2), 7, locks);
    const running = sendWaiting(first.deps);
    await waitFor(() => expect(first.post).toHaveBeenCalled());
    expect((await sendWaiting(second.deps)).outcome).toBe('busy');
    release();
    expect((await running).outcome).toBe('done');
    expect(second.post).not.toHaveBeenCalled();
    expect(first.sentIds()).toEqual(['a', 'b', 'c']);
  });

  it('while another tab of the terminal holds the sender’s Web Lock, this one skips its turn and sends nothing', async () => {
    await keepThree();
    const locks = fakeLocks();
    let release!: () => void;
    const otherTab = locks.request(LOCK_NAME, { ifAvailable: true }, () => new Promise<void>((r) => (release = r)));
    const t = deps(async () => sale(1), 7, locks);
    expect((await sendWaiting(t.deps)).outcome).toBe('busy');
    expect(t.post).not.toHaveBeenCalled();
    release();
    await otherTab;
    expect((await sendWaiting(t.deps)).outcome).toBe('done');
    expect(t.sentIds()).toEqual(['a', 'b', 'c']);
  });

  it('starts sending when someone logs in, and tries again a few seconds after a failure', async () => {
    await keepSale(keptSale('a', '2026-12-01T10:00:00Z'));
    let up = false;
    const t = deps(async () => {
      if (!up) throw network();
      return sale(1);
    });
    t.deps.userId = () => 7;
    vi.stubGlobal('fetch', vi.fn(async () => json(200, {})));
    const stop = startOutboxSync(new QueryClient(), t.deps);
    try {
      await waitFor(() => expect(t.post).toHaveBeenCalledTimes(1));
      up = true;
      setSession({ token: 't', user: user(7) });
      await waitFor(() => expect(t.post).toHaveBeenCalledTimes(2));
      await waitFor(async () => expect(await waitingIds()).toEqual([]));

      // A sale kept later (its live attempt failed): a retry comes by itself a few seconds after.
      await keepSale(keptSale('b', '2026-12-01T11:00:00Z'));
      await waitFor(async () => expect(await waitingIds()).toEqual([]), { timeout: 6_000 });
    } finally {
      stop();
    }
  });
});
