// Quantities in a product's unit. KG, L and M take up to three decimals (the server keeps them
// exact, to the gram); the other units are whole. Arithmetic is done in thousandths ("milli",
// integers) so that 0,2 + 0,155 is 0,355 and not 0,35500000000000004.
import type { Unit } from '../api/types';

export const UNITS: readonly Unit[] = ['UN', 'PC', 'CX', 'DZ', 'PCT', 'PAR', 'KIT', 'FD', 'KG', 'L', 'M'];

export const UNIT_LABELS: Record<Unit, string> = {
  UN: 'Unidade (UN)',
  PC: 'Peça (PC)',
  CX: 'Caixa (CX)',
  DZ: 'Dúzia (DZ)',
  PCT: 'Pacote (PCT)',
  PAR: 'Par (PAR)',
  KIT: 'Kit (KIT)',
  FD: 'Fardo (FD)',
  KG: 'Quilo (KG)',
  L: 'Litro (L)',
  M: 'Metro (M)',
};

/** Sold by weight or measure: up to three decimals. */
export const isFractional = (unit: Unit | undefined): boolean => unit === 'KG' || unit === 'L' || unit === 'M';

/** Thousandths of an API quantity (0.355 -> 355). */
export const toMilli = (q: number): number => Math.round(q * 1000);

/** The API number of thousandths (355 -> 0.355). */
export const fromMilli = (milli: number): number => milli / 1000;

/**
 * What a person types ("0,350", "1.5", "2", "1.234,5") as thousandths of the unit, or null
 * when it is not a quantity of that unit (decimals in a whole unit, more than three decimals,
 * negative unless `signed`).
 */
export function parseQuantityInput(text: string, unit: Unit | undefined, { signed = false } = {}): number | null {
  let s = text.replace(/\s/g, '');
  let sign = 1;
  if (signed && /^[+-]/.test(s)) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '') return null;
  if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
  const m = /^(\d+)(?:\.(\d{0,3}))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (!isFractional(unit) && /[1-9]/.test(frac)) return null;
  const milli = Number(m[1]) * 1000 + Number(frac.padEnd(3, '0'));
  return Number.isSafeInteger(milli) ? sign * milli : null;
}

const whole = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });
const three = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** The number alone: "2,145" in KG/L/M, "3" (or "1.200") in whole units. */
export function formatQuantityNumber(q: number, unit: Unit | undefined): string {
  return isFractional(unit) ? three.format(fromMilli(toMilli(q))) : whole.format(q);
}

/** With the unit: "2,145 kg", "1,500 L", "3 un", "2 cx". */
export function formatQuantity(q: number, unit: Unit | undefined): string {
  const u = unit ?? 'UN';
  const symbol = u === 'KG' ? 'kg' : u === 'L' ? 'L' : u === 'M' ? 'm' : u.toLowerCase();
  return `${formatQuantityNumber(q, u)} ${symbol}`;
}

/** As receipts and lists show it: "2" for units (as before units existed), "0,355 kg", "2 cx". */
export function formatQuantityShort(q: number, unit: Unit | undefined): string {
  return !unit || unit === 'UN' ? formatQuantityNumber(q, 'UN') : formatQuantity(q, unit);
}

/** What a form field shows for a quantity: "0,355" or "3". */
export function quantityToInput(q: number, unit: Unit | undefined): string {
  return isFractional(unit) ? three.format(fromMilli(toMilli(q))).replace(/\./g, '') : String(q);
}

/** Price × quantity, in cents, half up to the cent (the server's `Unit::amount`). */
export function amountCents(unitCents: number, milli: number): number {
  const exact = unitCents * milli;
  if (Number.isSafeInteger(exact)) return Math.floor((exact + 500) / 1000);
  return Number((BigInt(unitCents) * BigInt(milli) + 500n) / 1000n);
}

/**
 * A scale label: an EAN-13 starting with 2 (the prefix GS1 leaves for in-store use). What it
 * means (code, weight or price) is for the server to read with the shop's mask.
 */
export const isScaleLabel = (code: string): boolean => /^2\d{12}$/.test(code);

/** The GS1 check digit of `payload` (the digits before it). */
export function gs1CheckDigit(payload: string): number {
  let sum = 0;
  const digits = payload.split('').toReversed();
  digits.forEach((d, i) => (sum += Number(d) * (i % 2 === 0 ? 3 : 1)));
  return (10 - (sum % 10)) % 10;
}

/** A barcode as the server takes it: EAN-8, UPC-A (12), EAN-13 or GTIN-14 with its check digit. */
export function validBarcode(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}
