import { useState } from 'preact/hooks';
import { type Discount, discountText, parseDiscount } from './pricing';

/**
 * A discount typed as "10%" or "5,00" (reais). Applied on Enter or when the field loses the
 * focus; Enter then gives the focus back to the search. Empty removes the discount.
 */
export function DiscountField(props: {
  id: string;
  label: string;
  value: Discount | undefined;
  onChange: (d: Discount | null) => void;
  onDone: () => void;
  /** the discount cannot be applied as it is (an amount above the line) */
  invalid?: string | null;
  class?: string;
}) {
  const applied = discountText(props.value);
  const [text, setText] = useState(applied);
  const [shown, setShown] = useState(applied);
  const [error, setError] = useState<string | null>(null);
  // The discount changed elsewhere (applied, or the item's cart replaced): show it. Done while
  // rendering, not in an effect, which would run a frame later and could undo what is typed.
  if (shown !== applied) {
    setShown(applied);
    setText(applied);
  }

  /** `value`: what the field holds now (the state may not have been rendered yet). */
  function commit(value: string): boolean {
    const r = parseDiscount(value);
    if ('error' in r) {
      setError(r.error);
      return false;
    }
    setError(null);
    const same = discountText(r.discount) === discountText(props.value);
    if (!same) props.onChange(r.discount);
    return true;
  }

  const message = error ?? props.invalid ?? null;
  return (
    <div class={props.class}>
      <input
        id={props.id}
        type="text"
        inputMode="decimal"
        class="input w-24 px-1.5 text-right"
        placeholder="% ou R$"
        autoComplete="off"
        aria-label={props.label}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${props.id}-error` : undefined}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onBlur={(e) => commit(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (commit(e.currentTarget.value)) props.onDone();
          }
        }}
      />
      {message && (
        <p id={`${props.id}-error`} class="field-error text-xs" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
