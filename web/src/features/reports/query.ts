// What the report shows lives in the address (`/relatorios?agrupar=produto&de=2026-03-01&ate=…`),
// so a report can be linked, bookmarked and reloaded. These pure functions read and write it and
// turn it into the API's query parameters.
import type { ReportGroupBy, SalesReportQuery } from '../../api/types';
import { todayIn } from '../../lib/dates';

export interface Grouping {
  value: ReportGroupBy;
  /** its name in the address */
  slug: string;
  /** the control's option */
  label: string;
  /** the table's first column, and the chart's caption ("Líquido por dia") */
  noun: string;
  /** in time order (a column chart); the others come by net, largest first (a bar list) */
  time: boolean;
}

export const GROUPINGS: readonly Grouping[] = [
  { value: 'day', slug: 'dia', label: 'Dia', noun: 'dia', time: true },
  { value: 'week', slug: 'semana', label: 'Semana', noun: 'semana', time: true },
  { value: 'month', slug: 'mes', label: 'Mês', noun: 'mês', time: true },
  { value: 'hour', slug: 'hora', label: 'Hora do dia', noun: 'hora do dia', time: true },
  { value: 'employee', slug: 'vendedor', label: 'Vendedor', noun: 'vendedor', time: false },
  { value: 'product', slug: 'produto', label: 'Produto', noun: 'produto', time: false },
  { value: 'category', slug: 'categoria', label: 'Categoria', noun: 'categoria', time: false },
  { value: 'payment_method', slug: 'pagamento', label: 'Forma de pagamento', noun: 'forma de pagamento', time: false },
];

export function grouping(value: string): Grouping {
  return GROUPINGS.find((g) => g.value === value) ?? GROUPINGS[0]!;
}

export interface ReportState {
  group: ReportGroupBy;
  /** "2026-03-01" or "" (no limit); the API reads a date as its whole day */
  start: string;
  end: string;
  userId: number | null;
  productId: number | null;
  categoryId: number | null;
  /** one store's report (a shop with several); null: the consolidated one */
  storeId: number | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function id(value: string | null): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

function date(value: string | null, fallback: string): string {
  if (value === null) return fallback;
  return ISO_DATE.test(value) ? value : '';
}

/**
 * The report the address asks for. Without `agrupar`, by day; without `de`/`ate`, this month
 * (an empty one, `de=`, is no limit); anything unreadable is left out.
 */
export function readState(search: URLSearchParams, timeZone: string, now: Date = new Date()): ReportState {
  const month = presetRange('mes', timeZone, now);
  const slug = search.get('agrupar');
  return {
    group: GROUPINGS.find((g) => g.slug === slug)?.value ?? 'day',
    start: date(search.get('de'), month.start),
    end: date(search.get('ate'), month.end),
    userId: id(search.get('vendedor')),
    productId: id(search.get('produto')),
    categoryId: id(search.get('categoria')),
    storeId: id(search.get('loja')),
  };
}

/** The address of a report: the grouping and both dates always (so the link keeps its period),
 * the filters only when chosen. */
export function writeState(s: ReportState): URLSearchParams {
  const p = new URLSearchParams();
  p.set('agrupar', grouping(s.group).slug);
  p.set('de', s.start);
  p.set('ate', s.end);
  if (s.userId !== null) p.set('vendedor', String(s.userId));
  if (s.productId !== null) p.set('produto', String(s.productId));
  if (s.categoryId !== null) p.set('categoria', String(s.categoryId));
  if (s.storeId !== null) p.set('loja', String(s.storeId));
  return p;
}

/** GET /api/reports/sales's parameters (the empty ones left out). */
export function reportQuery(s: ReportState): SalesReportQuery {
  const q: SalesReportQuery = { group_by: s.group };
  if (s.start) q.start_date = s.start;
  if (s.end) q.end_date = s.end;
  if (s.userId !== null) q.user_id = s.userId;
  if (s.productId !== null) q.product_id = s.productId;
  if (s.categoryId !== null) q.category_id = s.categoryId;
  if (s.storeId !== null) q.store_id = s.storeId;
  return q;
}

export type RangePreset = 'hoje' | '7dias' | 'mes' | '12meses';

export const RANGE_PRESETS: readonly [RangePreset, string][] = [
  ['hoje', 'Hoje'],
  ['7dias', 'Últimos 7 dias'],
  ['mes', 'Este mês'],
  ['12meses', 'Últimos 12 meses'],
];

function shift(isoDate: string, { days = 0, months = 0 }: { days?: number; months?: number }): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, d + days)).toISOString().slice(0, 10);
}

/**
 * A preset period in the business time zone, as dates (each includes its whole day). "Últimos
 * 12 meses" starts on the first day of the month eleven months back, so that a report by month
 * has twelve whole months (this one so far).
 */
export function presetRange(preset: RangePreset, timeZone: string, now: Date = new Date()): { start: string; end: string } {
  const today = todayIn(timeZone, now);
  const firstOfMonth = `${today.slice(0, 8)}01`;
  switch (preset) {
    case 'hoje':
      return { start: today, end: today };
    case '7dias':
      return { start: shift(today, { days: -6 }), end: today };
    case 'mes':
      return { start: firstOfMonth, end: today };
    case '12meses':
      return { start: shift(firstOfMonth, { months: -11 }), end: today };
  }
}

export function rangeError(s: Pick<ReportState, 'start' | 'end'>): string | null {
  return s.start && s.end && s.start > s.end ? 'A data inicial deve ser anterior à data final.' : null;
}
