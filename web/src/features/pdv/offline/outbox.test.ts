import { describe, expect, it, vi } from 'vitest';
import { keptSale as kept } from '../../../test/fixtures';
import { discardRefused, keepSale, markRefused, markSent, refusedSales, subscribeOutbox, waitingSales } from './outbox';

describe('the outbox', () => {
  it('writes a sale with strict durability, so that it is on disk once the PDV says it is kept', async () => {
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await keepSale(kept('a', '2026-12-01T10:00:00Z'));
    expect(transaction).toHaveBeenCalledWith('outbox', 'readwrite', { durability: 'strict' });
    expect((await waitingSales()).map((s) => s.client_id)).toEqual(['a']);
  });

  it('keeps the offline form of the sale: client_id, sold_at, seller, cash session and the prices shown', async () => {
    await keepSale(kept('a', '2026-12-01T10:00:00Z'));
    const [sale] = await waitingSales();
    expect(sale!.body).toEqual({
      items: [{ product_id: 1, quantity: 1, unit_price: '10.00' }],
      payments: [{ method: 'dinheiro', amount: '10.00' }],
      client_id: 'a',
      sold_at: '2026-12-01T10:00:00.000Z',
      user_id: 7,
      cash_session_id: 3,
    });
  });

  it('lists the waiting sales oldest first, whatever order they were written in', async () => {
    await keepSale(kept('c', '2026-12-01T12:00:00Z'));
    await keepSale(kept('a', '2026-12-01T10:00:00Z'));
    await keepSale(kept('b', '2026-12-01T11:00:00Z'));
    expect((await waitingSales()).map((s) => s.client_id)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a second sale with the same client_id (one sale per id on the terminal too)', async () => {
    await keepSale(kept('a', '2026-12-01T10:00:00Z'));
    await expect(keepSale(kept('a', '2026-12-01T11:00:00Z'))).rejects.toBeTruthy();
    expect(await waitingSales()).toHaveLength(1);
  });

  it('moves a refused sale apart with the reason, and forgets it only when discarded', async () => {
    const sale = kept('a', '2026-12-01T10:00:00Z');
    await keepSale(sale);
    await markRefused(sale, 422, 'O preço de Café não foi R$ 10,00 no período');
    expect(await waitingSales()).toEqual([]);
    const [refused] = await refusedSales();
    expect(refused).toMatchObject({ client_id: 'a', refusal: { status: 422, message: 'O preço de Café não foi R$ 10,00 no período' } });
    await discardRefused('a');
    expect(await refusedSales()).toEqual([]);
  });

  it('tells its listeners what changed: a kept sale, then a sent one', async () => {
    const events: string[] = [];
    const stop = subscribeOutbox((e) => events.push(e));
    await keepSale(kept('a', '2026-12-01T10:00:00Z'));
    await markSent('a');
    stop();
    expect(events).toEqual(['kept', 'changed']);
    expect(await waitingSales()).toEqual([]);
  });
});
