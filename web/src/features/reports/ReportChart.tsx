// The report's net per row, hand-drawn like the dashboard's charts (a charting library would be
// a 100 KB chunk): columns in an SVG for the time groups, CSS bars for the others. The numbers
// are in the table below; the chart is the shape of them.
import type { ReportRow } from '../../api/types';
import { formatCents, toCents } from '../../lib/money';

/** The most bars the list shows (the rows come largest first). */
export const MAX_BARS = 15;

/** An axis label short enough to sit under a column: "10/03" for a day or a week's Monday. */
function short(label: string, group: string): string {
  if (group === 'day') return label.slice(0, 5);
  if (group === 'week') return label.replace(/^Semana de /, '').slice(0, 5);
  return label;
}

export function ReportChart({ rows, group, time, caption }: { rows: ReportRow[]; group: string; time: boolean; caption: string }) {
  const bars = rows.map((r) => ({ key: r.key, label: r.label, cents: toCents(r.net), title: `${r.label}: ${formatCents(toCents(r.net))} em ${r.count} venda(s)` }));
  // A payment method can come to less than nothing (refunds in cash of sales paid otherwise):
  // its bar is empty, its value still in the table.
  const max = Math.max(1, ...bars.map((b) => b.cents));
  if (!time) {
    const shown = bars.slice(0, MAX_BARS);
    return (
      <figure data-testid="report-chart">
        <figcaption class="mb-2 text-sm text-slate-700">
          {caption}
          {bars.length > shown.length && ` (os ${shown.length} maiores de ${bars.length})`}
        </figcaption>
        <ol class="space-y-2">
          {shown.map((b) => (
            <li key={b.key} title={b.title}>
              <div class="flex justify-between gap-2 text-sm">
                <span class="truncate">{b.label}</span>
                <span class="whitespace-nowrap font-semibold tabular-nums">{formatCents(b.cents)}</span>
              </div>
              <div class="mt-0.5 h-2.5 rounded bg-slate-200" aria-hidden="true">
                <div class="h-2.5 rounded bg-emerald-700" style={{ width: `${(Math.max(0, b.cents) / max) * 100}%` }} />
              </div>
            </li>
          ))}
        </ol>
      </figure>
    );
  }
  // Wide and short: on a desktop the SVG is drawn about 1:1 (text ≈ 13 px), on a phone smaller.
  const width = 1000;
  const height = 180;
  const top = 24;
  const slot = width / Math.max(1, bars.length);
  const w = Math.max(1, Math.min(slot * 0.7, 48));
  const longest = Math.max(1, ...bars.map((b) => short(b.label, group).length));
  const labelEvery = Math.max(1, Math.ceil((longest * 8 + 8) / slot));
  return (
    <figure data-testid="report-chart">
      <svg viewBox={`0 0 ${width} ${height + 24}`} class="h-auto w-full" role="img" aria-label={caption}>
        <line x1="0" x2={width} y1={top} y2={top} stroke="#e2e8f0" stroke-width="1" stroke-dasharray="4 4" />
        <text x="0" y={top - 8} font-size="14" fill="#334155">
          máx. {formatCents(max)}
        </text>
        <line x1="0" x2={width} y1={height} y2={height} stroke="#94a3b8" stroke-width="1" />
        {bars.map((b, i) => {
          const h = Math.round((Math.max(0, b.cents) / max) * (height - top));
          const x = i * slot + (slot - w) / 2;
          return (
            <g key={b.key}>
              <rect x={x} y={height - h} width={w} height={Math.max(h, b.cents > 0 ? 2 : 0)} rx="2" fill="#1d4ed8">
                <title>{b.title}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + w / 2} y={height + 18} text-anchor="middle" font-size="13" fill="#334155">
                  {short(b.label, group)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="mt-1 text-sm text-slate-700">{caption}</figcaption>
    </figure>
  );
}
