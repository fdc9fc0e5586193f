import { useEffect, useRef } from 'preact/hooks';
import type { PaymentMethod } from '../../api/types';
import { Dialog } from '../../components/ui';
import { formatCents, parseMoneyInput } from '../../lib/money';
import { usePaymentLabel } from '../info/api';
import { changeCents } from './cart';

/** The methods offered, in the order of their keys (1–4); their names come from the server. */
export const METHODS: PaymentMethod[] = ['dinheiro', 'debito', 'credito', 'pix'];

/**
 * Confirms the sale: payment method (keys 1–4), amount received and change for cash, Enter
 * confirms. The confirm button is disabled while the sale is being sent.
 */
export function CheckoutDialog(props: {
  open: boolean;
  totalCents: number;
  payment: PaymentMethod;
  onPayment: (m: PaymentMethod) => void;
  received: string;
  onReceived: (v: string) => void;
  submitting: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { open, totalCents, payment, received, submitting } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const receivedRef = useRef<HTMLInputElement>(null);
  const label = usePaymentLabel();

  useEffect(() => {
    if (!open) return;
    // Focus the chosen method: 1–4 change it, Enter confirms.
    const t = setTimeout(() => formRef.current?.querySelector<HTMLInputElement>('input[name="payment"]:checked')?.focus(), 0);
    return () => clearTimeout(t);
  }, [open]);

  const receivedCents = payment === 'dinheiro' && received.trim() ? parseMoneyInput(received) : null;
  const change = receivedCents === null ? null : changeCents(receivedCents, totalCents);
  const receivedError =
    payment === 'dinheiro' && received.trim()
      ? receivedCents === null
        ? 'Valor inválido.'
        : change === null
          ? 'O valor recebido é menor que o total.'
          : null
      : null;

  function submit(e: Event) {
    e.preventDefault();
    if (submitting || receivedError) return;
    props.onConfirm();
  }

  function onKeyDown(e: KeyboardEvent) {
    const target = e.target as HTMLElement;
    const typing = target instanceof HTMLInputElement && target.type === 'text';
    if (!typing && /^[1-4]$/.test(e.key)) {
      e.preventDefault();
      const m = METHODS[Number(e.key) - 1]!;
      props.onPayment(m);
      if (m === 'dinheiro') setTimeout(() => receivedRef.current?.focus(), 0);
      else setTimeout(() => formRef.current?.querySelector<HTMLInputElement>(`input[value="${m}"]`)?.focus(), 0);
    } else if (e.key === 'Enter' && !typing && target.tagName === 'INPUT') {
      // Enter on a radio button confirms, as in the text field.
      submit(e);
    }
  }

  return (
    <Dialog open={open} title="Finalizar venda" onClose={props.onClose}>
      {/* Shortcut keys for the whole form (1–4 choose the method); every control stays reachable by Tab. */}
      {/* oxlint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <form ref={formRef} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <p class="flex items-baseline justify-between">
          <span>Total</span>
          <span class="text-3xl font-bold tabular-nums" data-testid="checkout-total">
            {formatCents(totalCents)}
          </span>
        </p>
        <fieldset class="mt-4">
          <legend class="label">Forma de pagamento</legend>
          <div class="grid grid-cols-2 gap-2">
            {METHODS.map((m, i) => (
              <label key={m} class={`flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ${payment === m ? 'border-blue-700 bg-blue-50' : 'border-slate-300'}`}>
                <input type="radio" name="payment" value={m} checked={payment === m} autoFocus={payment === m} onChange={() => props.onPayment(m)} />
                <kbd class="kbd">{i + 1}</kbd> {label(m)}
              </label>
            ))}
          </div>
        </fieldset>
        {payment === 'dinheiro' && (
          <div class="mt-4">
            <label class="label" htmlFor="received">
              Valor recebido (opcional)
            </label>
            <input
              ref={receivedRef}
              id="received"
              type="text"
              inputMode="decimal"
              class="input text-lg"
              placeholder="0,00"
              autoComplete="off"
              aria-invalid={receivedError ? true : undefined}
              aria-describedby="received-info"
              value={received}
              onInput={(e) => props.onReceived(e.currentTarget.value)}
            />
            <p id="received-info" class={receivedError ? 'field-error' : 'mt-1 text-sm'} aria-live="polite">
              {receivedError ?? (change !== null ? <>Troco: <strong data-testid="change">{formatCents(change)}</strong></> : 'Informe o valor para calcular o troco.')}
            </p>
          </div>
        )}
        <div class="mt-5 flex justify-end gap-2">
          <button type="button" class="btn" onClick={props.onClose}>
            Voltar <kbd class="kbd">Esc</kbd>
          </button>
          <button type="submit" class="btn btn-primary" disabled={submitting || !!receivedError}>
            {submitting ? 'Enviando…' : 'Confirmar venda'} <kbd class="kbd text-slate-800">Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
