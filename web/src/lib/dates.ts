// Dates are shown in the business time zone (GET /api/info -> timezone), not the browser's.

export const DEFAULT_TIMEZONE = 'America/Sao_Paulo';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('pt-BR', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

function localParts(date: Date, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of partsFormat(timeZone).formatToParts(date)) parts[p.type] = p.value;
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
  };
}

/** "29/11/2026 14:05" in the given zone, from an RFC 3339 string or a Date. */
export function formatDateTime(value: string | Date, timeZone: string): string {
  const p = localParts(typeof value === 'string' ? new Date(value) : value, timeZone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** "29/11/2026" in the given zone. */
export function formatDate(value: string | Date, timeZone: string): string {
  const p = localParts(typeof value === 'string' ? new Date(value) : value, timeZone);
  return `${p.day}/${p.month}/${p.year}`;
}

/** "29/11" from a calendar date "2026-11-29" (the report's `daily[].date`; no zone involved). */
export function formatDayMonth(isoDate: string): string {
  const [, m, d] = isoDate.split('-');
  return `${d}/${m}`;
}

/** Today's calendar date in the zone, as "2026-11-29". */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

export interface Period {
  /** value of a datetime-local input ("2026-11-29T00:00") or "" */
  start: string;
  end: string;
}

export type PeriodPreset = 'hoje' | '7dias' | 'mes';

/**
 * A preset period in the business zone, as datetime-local values. The API reads dates without
 * an offset in the business zone, and an end with minutes includes that whole minute.
 */
export function presetPeriod(preset: PeriodPreset, timeZone: string, now: Date = new Date()): Period {
  const today = todayIn(timeZone, now);
  const end = `${today}T23:59`;
  switch (preset) {
    case 'hoje':
      return { start: `${today}T00:00`, end };
    case '7dias':
      return { start: `${addDays(today, -6)}T00:00`, end };
    case 'mes':
      return { start: `${today.slice(0, 8)}01T00:00`, end };
  }
}

/** Query parameters for /api/sales and /api/sales/export; empty fields are left out. */
export function periodParams(period: Period): Record<string, string> {
  const params: Record<string, string> = {};
  if (period.start) params.start_date = period.start;
  if (period.end) params.end_date = period.end;
  return params;
}

/** A period whose start is after its end is a mistake worth telling the user about. */
export function periodError(period: Period): string | null {
  if (period.start && period.end && period.start > period.end) {
    return 'A data inicial deve ser anterior à data final.';
  }
  return null;
}
