import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDayMonth, periodError, periodParams, presetPeriod, todayIn } from './dates';

const SP = 'America/Sao_Paulo';

describe('dates in the business time zone', () => {
  it('formats as 29/11/2026 14:05 in the given zone, whatever the browser zone', () => {
    expect(formatDateTime('2026-11-29T17:05:00Z', SP)).toBe('29/11/2026 14:05');
    expect(formatDateTime('2026-11-29T17:05:00Z', 'UTC')).toBe('29/11/2026 17:05');
    expect(formatDateTime('2026-11-30T01:30:00Z', SP)).toBe('29/11/2026 22:30');
    expect(formatDateTime('2026-01-01T02:59:00Z', SP)).toBe('31/12/2025 23:59');
    expect(formatDateTime('2026-11-29T14:05:00-03:00', SP)).toBe('29/11/2026 14:05');
    expect(formatDate('2026-11-30T01:30:00Z', SP)).toBe('29/11/2026');
  });

  it('uses midnight as 00, not 24', () => {
    expect(formatDateTime('2026-11-29T03:00:00Z', SP)).toBe('29/11/2026 00:00');
  });

  it('knows today in the business zone near midnight UTC', () => {
    const lateEvening = new Date('2026-11-30T02:00:00Z'); // 23:00 of the 29th in São Paulo
    expect(todayIn(SP, lateEvening)).toBe('2026-11-29');
    expect(todayIn('UTC', lateEvening)).toBe('2026-11-30');
  });

  it('builds preset periods as datetime-local values', () => {
    const now = new Date('2026-11-03T15:00:00Z');
    expect(presetPeriod('hoje', SP, now)).toEqual({ start: '2026-11-03T00:00', end: '2026-11-03T23:59' });
    expect(presetPeriod('7dias', SP, now)).toEqual({ start: '2026-10-28T00:00', end: '2026-11-03T23:59' });
    expect(presetPeriod('mes', SP, now)).toEqual({ start: '2026-11-01T00:00', end: '2026-11-03T23:59' });
  });

  it('turns a period into start_date/end_date, leaving out empty ends', () => {
    expect(periodParams({ start: '2026-11-01T08:00', end: '' })).toEqual({ start_date: '2026-11-01T08:00' });
    expect(periodParams({ start: '', end: '2026-11-02T18:30' })).toEqual({ end_date: '2026-11-02T18:30' });
    expect(periodParams({ start: '', end: '' })).toEqual({});
  });

  it('flags a start after the end', () => {
    expect(periodError({ start: '2026-11-02T00:00', end: '2026-11-01T23:59' })).toMatch(/anterior/);
    expect(periodError({ start: '2026-11-01T00:00', end: '2026-11-01T23:59' })).toBeNull();
  });

  it('shows report days as dd/mm', () => {
    expect(formatDayMonth('2026-10-31')).toBe('31/10');
  });
});
