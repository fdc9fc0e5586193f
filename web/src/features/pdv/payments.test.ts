import { describe, expect, it } from 'vitest';
import { changeOf, nextLine, paidCents, paymentsBody, preview, remainingCents } from './payments';

describe('the payments of a checkout', () => {
  it('says what is missing and never goes below zero', () => {
    expect(remainingCents(5180, [])).toBe(5180);
    expect(remainingCents(5180, [{ method: 'debito', amount: 2000 }])).toBe(3180);
    expect(remainingCents(5180, [{ method: 'dinheiro', amount: 5180, tendered: 10000 }])).toBe(0);
    expect(paidCents([{ method: 'debito', amount: 2000 }, { method: 'pix', amount: 3180 }])).toBe(5180);
  });

  it('cash above what is missing pays it and the rest is change', () => {
    const r = nextLine(5180, [], 'dinheiro', 10000);
    expect(r).toEqual({ line: { method: 'dinheiro', amount: 5180, tendered: 10000 } });
    expect(changeOf(['line' in r ? r.line : null!])).toBe(4820);
    // exactly the amount: no tendered, no change
    expect(nextLine(5180, [], 'dinheiro', 5180)).toEqual({ line: { method: 'dinheiro', amount: 5180 } });
  });

  it('an empty amount pays what is missing, with any method', () => {
    expect(nextLine(3439, [{ method: 'debito', amount: 2000 }], 'pix', null)).toEqual({ line: { method: 'pix', amount: 1439 } });
    expect(nextLine(3439, [], 'dinheiro', null)).toEqual({ line: { method: 'dinheiro', amount: 3439 } });
  });

  it('only cash may pass what is missing; nothing is added once the total is paid', () => {
    const r = nextLine(3000, [{ method: 'pix', amount: 1000 }], 'credito', 2500, (m) => (m === 'credito' ? 'Crédito' : m));
    expect(r).toEqual({ error: 'Crédito: o valor passa do que falta (R$\u00a020,00). Só o dinheiro dá troco.' });
    expect(nextLine(3000, [{ method: 'pix', amount: 3000 }], 'dinheiro', 100)).toEqual({ error: 'O total já está pago.' });
    expect(nextLine(3000, [], 'debito', 0)).toEqual({ error: 'Informe um valor maior que zero.' });
  });

  it('shows the remaining and the change while the amount is typed', () => {
    expect(preview(5180, [], 'dinheiro', '100')).toEqual({ remaining: 0, change: 4820, error: null, line: { method: 'dinheiro', amount: 5180, tendered: 10000 } });
    expect(preview(5180, [], 'dinheiro', '20,5')).toMatchObject({ remaining: 3130, change: 0, error: null });
    expect(preview(5180, [], 'debito', '')).toMatchObject({ remaining: 0, change: 0, line: { method: 'debito', amount: 5180 } });
    expect(preview(5180, [], 'dinheiro', '12,345')).toMatchObject({ remaining: 5180, error: 'Valor inválido.', line: null });
    // cash in two steps: the second gives the change of both
    const lines = [{ method: 'dinheiro' as const, amount: 3000 }];
    expect(preview(5180, lines, 'dinheiro', '50')).toMatchObject({ remaining: 0, change: 2820 });
    expect(preview(5180, [{ method: 'dinheiro', amount: 5180, tendered: 6000 }], 'pix', '')).toMatchObject({ remaining: 0, change: 820, line: null, error: null });
  });

  it('sends exact decimal strings, tendered only when there is change', () => {
    expect(paymentsBody([{ method: 'dinheiro', amount: 5180, tendered: 10000 }, { method: 'pix', amount: 5 }])).toEqual([
      { method: 'dinheiro', amount: '51.80', tendered: '100.00' },
      { method: 'pix', amount: '0.05' },
    ]);
  });
});
