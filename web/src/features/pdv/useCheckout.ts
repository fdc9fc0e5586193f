import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { PaymentMethod } from '../../api/types';
import { formatBRL, formatCents, parseMoneyInput } from '../../lib/money';
import { usePaymentLabel } from '../info/api';
import { useCreateSale } from '../sales/api';
import { applyServerError, blockingItems, type Cart, changeCents, emptyCart, saleItems, totalCents } from './cart';
import type { Notice } from './notice';

export interface CheckoutOptions {
  /** the cart as it is now (a scan may have changed it since the last render) */
  cartRef: { readonly current: Cart };
  update: (fn: (c: Cart) => Cart) => Cart;
  notify: (notice: Notice) => void;
  focusSearch: () => void;
  /** The sale went through with these items. */
  onSold?: (cart: Cart) => void;
}

/**
 * Finishing a sale: the dialog (F2), the payment method and the amount received, and the one
 * request. The cart's attempt key goes as the Idempotency-Key (it changes whenever the cart
 * does), a second confirm while the first is in flight does nothing, and a refusal about an
 * item is put next to that item with the cart kept.
 */
export function useCheckout({ cartRef, update, notify, focusSearch, onSold }: CheckoutOptions) {
  const [open, setOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [payment, setPayment] = useState<PaymentMethod>('dinheiro');
  const [received, setReceived] = useState('');
  // State changes only show at the next render; this stops a double click in between.
  const inFlightRef = useRef(false);
  const createSale = useCreateSale();
  const paymentLabel = usePaymentLabel();

  /** Opens the dialog, unless the cart is empty or an item is marked. */
  function start() {
    if (inFlightRef.current) return;
    const cart = cartRef.current;
    if (cart.items.length === 0) {
      notify({ kind: 'info', text: 'O carrinho está vazio. Leia ou busque um produto.' });
      focusSearch();
      return;
    }
    const blocked = blockingItems(cart);
    if (blocked.length > 0) {
      notify({ kind: 'error', text: `Ajuste os itens marcados antes de finalizar: ${blocked.map((i) => i.name).join(', ')}.` });
      return;
    }
    notify(null);
    setOpen(true);
  }

  function close() {
    setOpen(false);
    setTimeout(focusSearch, 0);
  }

  async function confirm() {
    if (inFlightRef.current) return;
    const snapshot = cartRef.current;
    if (snapshot.items.length === 0) return;
    inFlightRef.current = true;
    setSubmitting(true);
    try {
      const sale = await createSale.mutateAsync({
        sale: { items: saleItems(snapshot), payment_method: payment },
        idempotencyKey: snapshot.attemptKey,
      });
      onSold?.(snapshot);
      update(() => emptyCart());
      setOpen(false);
      const change = payment === 'dinheiro' && received ? changeText(received, snapshot) : null;
      notify({
        kind: 'success',
        text: `Venda nº ${sale.id} registrada: ${formatBRL(sale.total_amount)} (${paymentLabel(payment)})${change ? ` · Troco ${change}` : ''}.`,
      });
      setReceived('');
      setTimeout(focusSearch, 0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // going to the login; the cart is saved
      const message = e instanceof Error ? e.message : 'Erro ao finalizar a venda.';
      const r = e instanceof ApiError ? applyServerError(cartRef.current, e.body, message) : { cart: cartRef.current, onItem: false };
      if (r.onItem) {
        update(() => r.cart);
        setOpen(false);
        notify({ kind: 'error', text: `Venda não finalizada: ${message.replace(/\.?$/, '.')} Ajuste o item marcado e tente de novo.` });
      } else {
        notify({ kind: 'error', text: `Venda não finalizada: ${message}` });
      }
    } finally {
      inFlightRef.current = false;
      setSubmitting(false);
    }
  }

  return { open, submitting, payment, setPayment, received, setReceived, start, close, confirm };
}

function changeText(received: string, cart: Cart): string | null {
  const r = parseMoneyInput(received);
  const change = r === null ? null : changeCents(r, totalCents(cart));
  return change === null ? null : formatCents(change);
}
