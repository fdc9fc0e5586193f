// Two small SVG charts, hand-drawn: a charting library would be a 100 KB chunk for 35 bars.
import { formatCents } from '../../lib/money';

export interface Bar {
  label: string;
  /** value in cents (money) or units */
  value: number;
  title: string;
}

/** Vertical bars (sales per day). Each bar has a tooltip; the data is also a hidden table. */
export function ColumnChart({
  bars,
  caption,
  formatMax,
  height = 240,
}: {
  bars: Bar[];
  caption: string;
  formatMax: (v: number) => string;
  height?: number;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = 24;
  const gap = 8;
  const width = bars.length * (w + gap);
  const labelEvery = Math.ceil(bars.length / 8);
  const top = 24;
  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height + 26}`} class="h-auto w-full" role="img" aria-label={caption}>
        <line x1="0" x2={width} y1={top} y2={top} stroke="#e2e8f0" stroke-width="1" stroke-dasharray="4 4" />
        <text x="0" y={top - 8} font-size="15" fill="#334155">
          {bars.some((b) => b.value > 0) ? formatMax(max) : 'Sem vendas no período'}
        </text>
        <line x1="0" x2={width} y1={height} y2={height} stroke="#94a3b8" stroke-width="1" />
        {bars.map((b, i) => {
          const h = Math.round((b.value / max) * (height - top));
          const x = i * (w + gap) + gap / 2;
          return (
            <g key={b.label}>
              <rect x={x} y={height - h} width={w} height={Math.max(h, b.value > 0 ? 2 : 0)} rx="2" fill="#1d4ed8">
                <title>{b.title}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + w / 2} y={height + 20} text-anchor="middle" font-size="15" fill="#334155">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="sr-only">{caption}</figcaption>
      <DataTable bars={bars} />
    </figure>
  );
}

/** Horizontal bars with the label on the left and each bar's value as `shown` (top products). */
export function BarList({ bars, caption }: { bars: (Bar & { shown: string })[]; caption: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure>
      <figcaption class="sr-only">{caption}</figcaption>
      <ol class="space-y-2">
        {bars.map((b) => (
          <li key={b.label} title={b.title}>
            <div class="flex justify-between gap-2 text-sm">
              <span class="truncate">{b.label}</span>
              <span class="whitespace-nowrap font-semibold tabular-nums">
                {b.shown}
              </span>
            </div>
            <div class="mt-0.5 h-2.5 rounded bg-slate-200" aria-hidden="true">
              <div class="h-2.5 rounded bg-emerald-700" style={{ width: `${(b.value / max) * 100}%` }} />
            </div>
          </li>
        ))}
      </ol>
    </figure>
  );
}

function DataTable({ bars }: { bars: Bar[] }) {
  return (
    <table class="sr-only">
      <tbody>
        {bars.map((b) => (
          <tr key={b.label}>
            <th scope="row">{b.label}</th>
            <td>{b.title}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const moneyTitle = (label: string, cents: number, count: number) =>
  `${label}: ${formatCents(cents)} em ${count} venda(s)`;
