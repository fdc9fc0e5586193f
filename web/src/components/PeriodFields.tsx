// The "De" / "Até" fields of a period filter (sales, reports, audit log): two sibling field
// `<div>`s, so they sit in the page's own grid. Ids are `<idPrefix>-start` and `<idPrefix>-end`;
// the end is marked invalid when the page says the period is (a start after the end).
import type { Period } from '../lib/dates';

export function PeriodFields({
  idPrefix,
  type,
  start,
  end,
  invalid,
  onChange,
}: {
  idPrefix: string;
  /** `date` for whole days, `datetime-local` for a day and time */
  type: 'date' | 'datetime-local';
  start: string;
  end: string;
  invalid: boolean;
  onChange: (change: Partial<Period>) => void;
}) {
  return (
    <>
      <div>
        <label class="label" htmlFor={`${idPrefix}-start`}>
          De
        </label>
        <input id={`${idPrefix}-start`} type={type} class="input" value={start} onChange={(e) => onChange({ start: e.currentTarget.value })} />
      </div>
      <div>
        <label class="label" htmlFor={`${idPrefix}-end`}>
          Até
        </label>
        <input
          id={`${idPrefix}-end`}
          type={type}
          class="input"
          value={end}
          aria-invalid={invalid ? true : undefined}
          onChange={(e) => onChange({ end: e.currentTarget.value })}
        />
      </div>
    </>
  );
}
