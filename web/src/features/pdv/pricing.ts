// Discounts as the PDV shows them before the sale: the same arithmetic as the server's
// (domain/checkout.rs), in integer cents, so that the total on screen is the total the
// payments must add up to. The server prices the sale again and is the authority: its answer
// is what the receipt shows.
//
// - a percentage takes base × percent off, rounded half up to the cent;
// - a line's percentage applies to price × quantity; the sale's to what the lines cost after
//   their own discounts;
// - the sale's discount is shared among the lines in proportion to what each costs, by the
//   largest remainder (ties to the earlier line).
import { centsToApi, formatCents, parseMoneyInput } from '../../lib/money';
import { amountCents, toMilli } from '../../lib/quantity';

/** A discount as typed: hundredths of a percent (1250 = 12,5%), or an amount in cents. */
export type Discount = { kind: 'percent'; bp: number } | { kind: 'amount'; cents: number };

export const FULL_BP = 10_000;

/**
 * What the operator typed in a discount field: "10%", "12,5 %" (percent) or "5", "5,00",
 * "R$ 5" (reais). Empty is "no discount" (null); anything else that is not a valid discount is
 * an error message.
 */
export function parseDiscount(text: string): { discount: Discount | null } | { error: string } {
  const t = text.trim();
  if (t === '') return { discount: null };
  if (t.endsWith('%')) {
    const cents = parseMoneyInput(t.slice(0, -1));
    if (cents === null || cents <= 0 || cents > FULL_BP) return { error: 'Percentual inválido: de 0,01% a 100%.' };
    return { discount: { kind: 'percent', bp: cents } };
  }
  const cents = parseMoneyInput(t);
  if (cents === null || cents <= 0) return { error: 'Desconto inválido: use 10% ou um valor em reais (5,00).' };
  return { discount: { kind: 'amount', cents } };
}

/** The discount as the operator would type it back: "12,5%" or "5,00". */
export function discountText(d: Discount | null | undefined): string {
  if (!d) return '';
  if (d.kind === 'amount') return centsToApi(d.cents).replace('.', ',');
  return `${centsToApi(d.bp).replace('.', ',').replace(/,?0+$/, '')}%`;
}

/** A short label: "10%" or "R$ 5,00". */
export function discountLabel(d: Discount): string {
  return d.kind === 'percent' ? discountText(d) : formatCents(d.cents);
}

/** What the discount takes off `base`, or null when an amount is above it. */
export function discountOf(d: Discount, base: number): number | null {
  if (d.kind === 'percent') return Math.floor((base * d.bp * 2 + FULL_BP) / (2 * FULL_BP));
  return d.cents > base ? null : d.cents;
}

/** `amount` split in proportion to `weights` by the largest remainder; the parts add up to it. */
export function apportion(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, w) => a + w, 0);
  if (total === 0 || amount === 0) return weights.map(() => 0);
  // amount × weight can pass 2^53 (R$ 10 milhões × R$ 10 milhões in cents is 10^18): BigInt
  // keeps it exact.
  const big = weights.map((w) => {
    const p = BigInt(amount) * BigInt(w);
    return { q: Number(p / BigInt(total)), r: p % BigInt(total) };
  });
  const parts = big.map((b) => b.q);
  let left = amount - parts.reduce((a, p) => a + p, 0);
  const order = weights.map((_, i) => i).toSorted((a, b) => (big[b]!.r > big[a]!.r ? 1 : big[b]!.r < big[a]!.r ? -1 : a - b));
  for (const i of order) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

export interface LineToPrice {
  unit_cents: number;
  /** in the product's unit (0.355 kg) */
  quantity: number;
  /** scale labels in the line; a price label costs its amount */
  labels?: readonly { quantity: number; amount_cents: number | null }[];
  discount?: Discount | null;
}

/**
 * Price × quantity as the server prices it: price labels cost what they say, the rest of the
 * quantity costs the price per unit (half up to the cent for a fraction of a unit).
 */
export function lineGross(l: LineToPrice): number {
  const priced = (l.labels ?? []).filter((x) => x.amount_cents !== null);
  const labelled = priced.reduce((a, x) => a + (x.amount_cents ?? 0), 0);
  const rest = toMilli(l.quantity) - priced.reduce((a, x) => a + toMilli(x.quantity), 0);
  return labelled + amountCents(l.unit_cents, rest);
}

export interface PricedLine {
  /** price × quantity */
  gross: number;
  /** the line's own discount */
  discount: number;
  /** after its discount, before its share of the sale's */
  afterOwn: number;
  /** after its share of the sale's discount too */
  net: number;
  /** the line's discount is an amount above the line */
  invalid: boolean;
}

export interface Priced {
  lines: PricedLine[];
  subtotal: number;
  /** the lines' discounts and the sale's */
  discount: number;
  /** the sale's own discount */
  saleDiscount: number;
  total: number;
  /** why the discounts cannot be sent as they are (an amount above what it applies to) */
  error: string | null;
}

export function price(lines: readonly LineToPrice[], saleDiscount?: Discount | null): Priced {
  let error: string | null = null;
  const priced: PricedLine[] = lines.map((l) => {
    const gross = lineGross(l);
    const cut = l.discount ? discountOf(l.discount, gross) : 0;
    if (cut === null) error = 'Desconto do item maior que o valor do item.';
    const discount = cut ?? 0;
    return { gross, discount, afterOwn: gross - discount, net: gross - discount, invalid: cut === null };
  });
  const afterLines = priced.reduce((a, l) => a + l.afterOwn, 0);
  let saleCut = saleDiscount ? discountOf(saleDiscount, afterLines) : 0;
  if (saleCut === null) {
    error ??= 'Desconto da venda maior que o total.';
    saleCut = 0;
  }
  const shares = apportion(saleCut, priced.map((l) => l.afterOwn));
  priced.forEach((l, i) => (l.net = l.afterOwn - shares[i]!));
  const subtotal = priced.reduce((a, l) => a + l.gross, 0);
  const total = priced.reduce((a, l) => a + l.net, 0);
  return { lines: priced, subtotal, discount: subtotal - total, saleDiscount: saleCut, total, error };
}

/** The body fields of a discount: `discount_percent: "12.50"` or `discount_amount: "5.00"`. */
export function discountBody(d: Discount | null | undefined): { discount_percent?: string; discount_amount?: string } {
  if (!d) return {};
  return d.kind === 'percent' ? { discount_percent: centsToApi(d.bp) } : { discount_amount: centsToApi(d.cents) };
}
