// Money is handled as integer cents. The API sends numbers with at most two decimals
// (12.5, 0.3); we turn them into cents once and never add floats.

/** Cents from an API number (12.5 -> 1250). */
export function toCents(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`valor monetário inválido: ${value}`);
  return Math.round(n * 100);
}

/** "12.50" for the API from cents (the API accepts numeric strings and parses them exactly). */
export function centsToApi(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses what a person types ("12,50", "1.234,56", "12.5", "R$ 3") into cents.
 * Returns null when it is not a valid amount or has more than two decimals.
 */
export function parseMoneyInput(text: string): number | null {
  let s = text.replace(/R\$/i, '').replace(/\s/g, '');
  if (s === '') return null;
  if (s.includes(',')) {
    // pt-BR: dots group thousands, the comma is the decimal separator.
    s = s.replace(/\./g, '').replace(',', '.');
  } else if (/^\d{1,3}(\.\d{3})+$/.test(s)) {
    // "1.234" typed in pt-BR means one thousand two hundred thirty-four.
    s = s.replace(/\./g, '');
  }
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(2, '0'));
  const cents = whole * 100 + frac;
  return Number.isSafeInteger(cents) ? cents : null;
}

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });

/** "R$ 1.234,56" (Intl puts a no-break space after "R$"). */
export function formatCents(cents: number): string {
  return brl.format(cents / 100);
}

/** Formats an API money number. */
export function formatBRL(value: number): string {
  return formatCents(toCents(value));
}

/** Input value for a form field: 1250 -> "12,50". */
export function centsToInput(cents: number): string {
  return centsToApi(cents).replace('.', ',');
}
