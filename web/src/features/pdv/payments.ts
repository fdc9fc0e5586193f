// How the payments of a checkout settle the total, in integer cents, as the server settles them
// (domain/checkout.rs `settle`): the lines add up exactly to the total, except cash, which may
// be more (the difference is the change). The PDV keeps a cash line at what it pays and the
// rest as `tendered`, so every line says what it paid.
import type { PaymentMethod } from '../../api/types';
import { centsToApi, formatCents, parseMoneyInput } from '../../lib/money';

export interface PaymentLine {
  method: PaymentMethod;
  /** what it pays of the total */
  amount: number;
  /** cash only: what the customer handed over, when more than `amount` */
  tendered?: number;
}

export const paidCents = (lines: readonly PaymentLine[]): number => lines.reduce((a, l) => a + l.amount, 0);

/** What is still to be paid (never negative). */
export const remainingCents = (total: number, lines: readonly PaymentLine[]): number => Math.max(0, total - paidCents(lines));

/** Cash to hand back: what the customer gave beyond what the cash lines pay. */
export const changeOf = (lines: readonly PaymentLine[]): number =>
  lines.reduce((a, l) => a + (l.tendered !== undefined ? l.tendered - l.amount : 0), 0);

/**
 * The line that paying `typed` cents with `method` adds, with `total` and the `lines` so far;
 * `typed` null (the field left empty) pays what is missing. Only cash may pass what is missing
 * (the rest is change); another method beyond it, or anything once the sale is paid, is refused
 * with the reason.
 */
export function nextLine(
  total: number,
  lines: readonly PaymentLine[],
  method: PaymentMethod,
  typed: number | null,
  label: (m: PaymentMethod) => string = (m) => m,
): { line: PaymentLine } | { error: string } {
  const missing = remainingCents(total, lines);
  if (missing === 0) return { error: 'O total já está pago.' };
  const value = typed ?? missing;
  if (value <= 0) return { error: 'Informe um valor maior que zero.' };
  if (method === 'dinheiro') {
    const amount = Math.min(value, missing);
    return { line: value > amount ? { method, amount, tendered: value } : { method, amount } };
  }
  if (value > missing) {
    return { error: `${label(method)}: o valor passa do que falta (${formatCents(missing)}). Só o dinheiro dá troco.` };
  }
  return { line: { method, amount: value } };
}

/** What the amount field holds: cents, null when empty (pays what is missing), or invalid. */
export function parseEntry(text: string): { cents: number | null } | { error: string } {
  if (text.trim() === '') return { cents: null };
  const cents = parseMoneyInput(text);
  return cents === null ? { error: 'Valor inválido.' } : { cents };
}

/**
 * What the screen shows while the operator types a line: what would be missing and the change,
 * counting the lines so far and the one being typed (when it is valid).
 */
export function preview(
  total: number,
  lines: readonly PaymentLine[],
  method: PaymentMethod,
  text: string,
  label?: (m: PaymentMethod) => string,
): { remaining: number; change: number; error: string | null; line: PaymentLine | null } {
  const entry = parseEntry(text);
  if ('error' in entry) return { remaining: remainingCents(total, lines), change: changeOf(lines), error: entry.error, line: null };
  if (remainingCents(total, lines) === 0 && entry.cents === null) {
    return { remaining: 0, change: changeOf(lines), error: null, line: null };
  }
  const next = nextLine(total, lines, method, entry.cents, label);
  if ('error' in next) return { remaining: remainingCents(total, lines), change: changeOf(lines), error: next.error, line: null };
  const all = [...lines, next.line];
  return { remaining: remainingCents(total, all), change: changeOf(all), error: null, line: next.line };
}

/** `payments` of POST /api/sales: exact decimal strings. */
export const paymentsBody = (lines: readonly PaymentLine[]) =>
  lines.map((l) => ({
    method: l.method,
    amount: centsToApi(l.amount),
    ...(l.tendered !== undefined ? { tendered: centsToApi(l.tendered) } : {}),
  }));
