import { useEffect, useRef } from 'preact/hooks';
import type { PaymentMethod, SaleCustomer } from '../../api/types';
import { Alert, Dialog } from '../../components/ui';
import { centsToInput, formatCents } from '../../lib/money';
import { usePaymentLabel } from '../info/api';
import { type PaymentLine, preview, remainingCents } from './payments';
import { CustomerName } from './CartPanel';
import { PixPanel } from './PixPanel';
import type { Priced } from './pricing';

/** The methods offered, in the order of their keys (1–5); their names come from the server. */
export const METHODS: PaymentMethod[] = ['dinheiro', 'debito', 'credito', 'pix', 'outro'];

export interface CheckoutDialogProps {
  open: boolean;
  /** the store the PDV sells in: its PIX key */
  storeId: number | undefined;
  priced: Pick<Priced, 'subtotal' | 'discount' | 'total'>;
  /** the customer of the sale; F3 (or the button) names or changes them from here */
  customer: SaleCustomer | null;
  onPickCustomer: () => void;
  lines: readonly PaymentLine[];
  method: PaymentMethod;
  onMethod: (m: PaymentMethod) => void;
  entry: string;
  onEntry: (v: string) => void;
  error: string | null;
  submitting: boolean;
  /** adds the line typed; sends the sale once the total is paid */
  onConfirm: () => Promise<'partial' | 'sent' | 'invalid' | 'busy'>;
  onRemoveLine: (index: number) => void;
  onClose: () => void;
}

/**
 * Paying the sale, keyboard first: 1–5 choose the method (the focus goes to the amount), the
 * amount typed (empty: what is missing) and Enter add a payment; once the payments cover the
 * total, Enter sends the sale. Cash may pass what is missing: the change shows in big digits.
 * Esc in the amount goes back to the methods, Esc there closes. A held Enter (key repeat)
 * does nothing, and nothing can be sent twice (the button is disabled while the sale is sent).
 */
export function CheckoutDialog(props: CheckoutDialogProps) {
  const { open, priced, lines, method, entry, submitting } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const label = usePaymentLabel();

  const focusMethod = () =>
    setTimeout(() => formRef.current?.querySelector<HTMLInputElement>('input[name="payment"]:checked')?.focus(), 0);
  const focusAmount = () =>
    setTimeout(() => {
      amountRef.current?.focus();
      amountRef.current?.select();
    }, 0);

  useEffect(() => {
    if (open) focusMethod();
  }, [open]);

  const total = priced.total;
  const missing = remainingCents(total, lines);
  const p = preview(total, lines, method, entry, label);
  const pixCents = method === 'pix' && p.line ? p.line.amount : lines.filter((l) => l.method === 'pix').at(-1)?.amount ?? 0;
  const error = p.error ?? props.error;

  async function submit(e: Event) {
    e.preventDefault();
    if (submitting) return;
    const r = await props.onConfirm();
    if (r === 'partial') focusMethod();
  }

  function onKeyDown(e: KeyboardEvent) {
    const target = e.target as HTMLElement;
    const inAmount = target === amountRef.current;
    if (e.key === 'Enter' && e.repeat) {
      // A held Enter: the first press did what it had to.
      e.preventDefault();
      return;
    }
    if (!inAmount && /^[1-5]$/.test(e.key) && !(target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      props.onMethod(METHODS[Number(e.key) - 1]!);
      focusAmount();
    } else if (e.key === 'Enter' && target instanceof HTMLInputElement && target.name === 'payment') {
      // Enter on a method confirms, as in the amount.
      void submit(e);
    } else if (e.key === 'Escape' && inAmount) {
      e.preventDefault();
      e.stopPropagation();
      focusMethod();
    }
  }

  const amountLabel = method === 'dinheiro' ? 'Valor recebido' : `Valor em ${label(method)}`;
  return (
    <Dialog open={open} title="Finalizar venda" onClose={props.onClose} wide={pixCents > 0}>
      {/* Shortcut keys for the whole form (1–5 choose the method); every control stays reachable by Tab. */}
      {/* oxlint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <form ref={formRef} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <div class="flex items-baseline justify-between">
          <span>Total</span>
          <span class="text-3xl font-bold tabular-nums" data-testid="checkout-total">
            {formatCents(total)}
          </span>
        </div>
        {priced.discount > 0 && (
          <p class="text-right text-sm text-slate-700" data-testid="checkout-discount">
            Subtotal {formatCents(priced.subtotal)} · descontos −{formatCents(priced.discount)}
          </p>
        )}
        <div class="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="checkout-customer">
          {props.customer ? <CustomerName customer={props.customer} /> : <span class="text-slate-700">Sem cliente (CPF na nota?)</span>}
          <button type="button" class="btn btn-sm" onClick={props.onPickCustomer} disabled={submitting}>
            {props.customer ? 'Trocar cliente' : 'Identificar cliente'} <kbd class="kbd">F3</kbd>
          </button>
        </div>
        <fieldset class="mt-3">
          <legend class="label">Forma de pagamento</legend>
          <div class="grid grid-cols-2 gap-2 sm:grid-cols-3">
            {METHODS.map((m, i) => (
              <label
                key={m}
                class={`flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ${method === m ? 'border-blue-700 bg-blue-50' : 'border-slate-300'}`}
              >
                <input type="radio" name="payment" value={m} checked={method === m} onChange={() => props.onMethod(m)} />
                <kbd class="kbd">{i + 1}</kbd> {label(m)}
              </label>
            ))}
          </div>
        </fieldset>
        {missing > 0 && (
          <div class="mt-3">
            <label class="label" htmlFor="received">
              {amountLabel}
            </label>
            <input
              ref={amountRef}
              id="received"
              type="text"
              inputMode="decimal"
              class="input text-lg tabular-nums"
              placeholder={centsToInput(missing)}
              autoComplete="off"
              aria-invalid={error ? true : undefined}
              aria-describedby="received-info"
              value={entry}
              onInput={(e) => props.onEntry(e.currentTarget.value)}
            />
            <p id="received-info" class={error ? 'field-error' : 'mt-1 text-xs text-slate-700'} aria-live="polite">
              {error ?? (
                <>
                  Vazio paga o que falta. <kbd class="kbd">Enter</kbd> {p.remaining > 0 ? 'adiciona o pagamento' : 'finaliza'} ·{' '}
                  <kbd class="kbd">Esc</kbd> volta às formas
                </>
              )}
            </p>
          </div>
        )}
        {missing === 0 && error && <Alert>{error}</Alert>}
        {lines.length > 0 && (
          <ul class="mt-3 divide-y divide-slate-200 rounded-md border border-slate-200 text-sm" data-testid="payment-lines" aria-label="Pagamentos">
            {lines.map((l, i) => (
              <li key={i} class="flex items-center justify-between gap-2 px-3 py-1.5">
                <span>
                  {label(l.method)}
                  {l.tendered !== undefined && <span class="ml-2 text-xs text-slate-600">recebido {formatCents(l.tendered)}</span>}
                </span>
                <span class="flex items-center gap-2">
                  <span class="font-semibold tabular-nums">{formatCents(l.amount)}</span>
                  <button
                    type="button"
                    class="btn btn-sm"
                    disabled={submitting}
                    aria-label={`Remover pagamento ${label(l.method)} ${formatCents(l.amount)}`}
                    onClick={() => props.onRemoveLine(i)}
                  >
                    ✕
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
        <div class="mt-3 grid grid-cols-2 gap-2" aria-live="polite">
          <div class="rounded-md bg-slate-100 p-2">
            <p class="text-xs text-slate-700">Falta</p>
            <p class="text-2xl font-bold tabular-nums" data-testid="remaining">
              {formatCents(p.remaining)}
            </p>
          </div>
          <div class={`rounded-md p-2 ${p.change > 0 ? 'bg-green-100' : 'bg-slate-100'}`}>
            <p class="text-xs text-slate-700">Troco</p>
            <p class="text-4xl font-extrabold tabular-nums text-green-900" data-testid="change">
              {formatCents(p.change)}
            </p>
          </div>
        </div>
        {pixCents > 0 && <PixPanel cents={pixCents} storeId={props.storeId} />}
        <div class="mt-4 flex justify-end gap-2">
          <button type="button" class="btn" onClick={props.onClose} disabled={submitting}>
            Voltar <kbd class="kbd">Esc</kbd>
          </button>
          <button type="submit" class="btn btn-primary" disabled={submitting || !!p.error}>
            {submitting ? 'Enviando…' : p.remaining > 0 ? 'Adicionar pagamento' : pixCents > 0 ? 'Pix conferido: confirmar venda' : 'Confirmar venda'}{' '}
            <kbd class="kbd text-slate-800">Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
