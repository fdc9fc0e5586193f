import { describe, expect, it } from 'vitest';
import { apportion, discountBody, discountLabel, discountOf, discountText, parseDiscount, price } from './pricing';

const pct = (bp: number) => ({ kind: 'percent' as const, bp });
const amt = (cents: number) => ({ kind: 'amount' as const, cents });
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

// The cases of the server's domain/checkout.rs tests: the same numbers on both sides.
describe('discounts, as the server prices them', () => {
  it('a percentage rounds half up to the cent', () => {
    expect(discountOf(pct(1000), 5)).toBe(1); // 10% de R$ 0,05 = 0,5 centavo -> 1
    expect(discountOf(pct(1000), 4)).toBe(0);
    expect(discountOf(pct(3333), 10)).toBe(3);
    expect(discountOf(pct(10_000), 999)).toBe(999);
    expect(discountOf(amt(11), 10)).toBeNull();
  });

  it('33,33% of ten cents in three lines is exact both ways', () => {
    const perLine = price([1, 2, 3].map(() => ({ unit_cents: 10, quantity: 1, discount: pct(3333) })));
    expect([perLine.subtotal, perLine.discount, perLine.total]).toEqual([30, 9, 21]);
    const perSale = price([1, 2, 3].map(() => ({ unit_cents: 10, quantity: 1 })), pct(3333));
    expect([perSale.discount, perSale.total]).toEqual([10, 20]);
    expect(perSale.lines.map((l) => l.net)).toEqual([6, 7, 7]);
  });

  it('shares a sale discount by the largest remainder, adding up exactly', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(7, [500, 250, 250])).toEqual([3, 2, 2]);
    expect(apportion(0, [5, 5])).toEqual([0, 0]);
    // beyond 2^53 in the products: still exact
    const big = apportion(1_000_000_000, [999_999_999, 1]);
    expect(big.reduce((a, b) => a + b, 0)).toBe(1_000_000_000);
  });

  it('line and sale discounts combine', () => {
    // 2 x R$ 5,00 with R$ 1,00 off the line, 1 x R$ 10,00; 10% off the sale (R$ 1,90).
    const p = price([{ unit_cents: 500, quantity: 2, discount: amt(100) }, { unit_cents: 1000, quantity: 1 }], pct(1000));
    expect([p.subtotal, p.discount, p.total, p.saleDiscount]).toEqual([2000, 290, 1710, 190]);
    expect(p.lines[0]!.discount).toBe(100);
    expect(p.error).toBeNull();
  });

  it('flags an amount above what it applies to', () => {
    expect(price([{ unit_cents: 500, quantity: 1, discount: amt(600) }]).error).toMatch(/item/);
    expect(price([{ unit_cents: 500, quantity: 1 }], amt(501)).error).toMatch(/venda/);
  });

  it('reads what the operator types: 10%, 12,5 %, 5, R$ 5,00', () => {
    expect(parseDiscount('10%')).toEqual({ discount: pct(1000) });
    expect(parseDiscount('12,5 %')).toEqual({ discount: pct(1250) });
    expect(parseDiscount('5')).toEqual({ discount: amt(500) });
    expect(parseDiscount('R$ 5,00')).toEqual({ discount: amt(500) });
    expect(parseDiscount('')).toEqual({ discount: null });
    expect(parseDiscount('101%')).toHaveProperty('error');
    expect(parseDiscount('0%')).toHaveProperty('error');
    expect(parseDiscount('abc')).toHaveProperty('error');
    expect(discountText(pct(1250))).toBe('12,5%');
    expect(discountText(pct(1000))).toBe('10%');
    expect(discountText(amt(500))).toBe('5,00');
    expect(plain(discountLabel(amt(500)))).toBe('R$ 5,00');
  });

  it('sends the discount as an exact decimal string', () => {
    expect(discountBody(pct(1250))).toEqual({ discount_percent: '12.50' });
    expect(discountBody(amt(5))).toEqual({ discount_amount: '0.05' });
    expect(discountBody(undefined)).toEqual({});
  });
});
