import { describe, expect, it } from 'vitest';
import { presetRange, rangeError, readState, reportQuery, writeState } from './query';

const TZ = 'America/Sao_Paulo';
// 15/03/2026 at 01:30 in UTC is still the 14th in São Paulo (UTC−3).
const NOW = new Date('2026-03-15T01:30:00Z');

describe('the report in the address', () => {
  it('without parameters is this month by day, in the business time zone', () => {
    const s = readState(new URLSearchParams(''), TZ, NOW);
    expect(s).toEqual({ group: 'day', start: '2026-03-01', end: '2026-03-14', userId: null, productId: null, categoryId: null, storeId: null });
    expect(reportQuery(s)).toEqual({ group_by: 'day', start_date: '2026-03-01', end_date: '2026-03-14' });
  });

  it('reads every control back from what it wrote (a link or a reload shows the same report)', () => {
    const s = { group: 'payment_method' as const, start: '2025-04-01', end: '2026-03-14', userId: 3, productId: 12, categoryId: 4, storeId: 2 };
    const address = writeState(s).toString();
    expect(address).toBe('agrupar=pagamento&de=2025-04-01&ate=2026-03-14&vendedor=3&produto=12&categoria=4&loja=2');
    expect(readState(new URLSearchParams(address), TZ, NOW)).toEqual(s);
    expect(reportQuery(s)).toEqual({ group_by: 'payment_method', start_date: '2025-04-01', end_date: '2026-03-14', user_id: 3, product_id: 12, category_id: 4, store_id: 2 });
  });

  it('keeps an empty date as no limit, and leaves out what it cannot read', () => {
    const s = readState(new URLSearchParams('agrupar=xyz&de=&ate=14/03/2026&vendedor=abc&produto=-2&categoria=0&loja=x'), TZ, NOW);
    expect(s).toEqual({ group: 'day', start: '', end: '', userId: null, productId: null, categoryId: null, storeId: null });
    expect(reportQuery(s)).toEqual({ group_by: 'day' });
    expect(writeState(s).toString()).toBe('agrupar=dia&de=&ate=');
  });
});

describe('the period presets', () => {
  it('are whole days in the business time zone', () => {
    expect(presetRange('hoje', TZ, NOW)).toEqual({ start: '2026-03-14', end: '2026-03-14' });
    expect(presetRange('7dias', TZ, NOW)).toEqual({ start: '2026-03-08', end: '2026-03-14' });
    expect(presetRange('mes', TZ, NOW)).toEqual({ start: '2026-03-01', end: '2026-03-14' });
    // Twelve months by month: this one so far and the eleven before, whole.
    expect(presetRange('12meses', TZ, NOW)).toEqual({ start: '2025-04-01', end: '2026-03-14' });
    expect(presetRange('12meses', TZ, new Date('2026-12-31T15:00:00Z'))).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(presetRange('7dias', TZ, new Date('2026-03-03T15:00:00Z'))).toEqual({ start: '2026-02-25', end: '2026-03-03' });
  });

  it('a start after the end is a mistake the page points out', () => {
    expect(rangeError({ start: '2026-03-10', end: '2026-03-01' })).toMatch(/data inicial/);
    expect(rangeError({ start: '2026-03-01', end: '2026-03-01' })).toBeNull();
    expect(rangeError({ start: '', end: '2026-03-01' })).toBeNull();
  });
});
