import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { NewSale, PaymentMethod, Sale } from '../../api/types';
import { formatBRL } from '../../lib/money';
import { usePaymentLabel } from '../info/api';
import { useCreateSale } from '../sales/api';
import { applyServerError, blockingItems, type Cart, emptyCart, pricedCart, saleItems } from './cart';
import type { Notice } from './notice';
import { type PaymentLine, paymentsBody, preview, remainingCents } from './payments';
import { discountBody } from './pricing';

export interface CheckoutOptions {
  /** the cart as it is now (a scan may have changed it since the last render) */
  cartRef: { readonly current: Cart };
  update: (fn: (c: Cart) => Cart) => Cart;
  notify: (notice: Notice) => void;
  focusSearch: () => void;
  /** The sale went through with these items. */
  onSold?: (cart: Cart, sale: Sale) => void;
}

/** An administrator's name and password, typed at the PDV to approve a discount. */
export interface Approval {
  username: string;
  password: string;
}

/** The server asks for an administrator's approval of an employee's discount (403). */
export const needsApproval = (e: unknown): e is ApiError =>
  e instanceof ApiError && e.status === 403 && /aprovação de um administrador/i.test(e.message);

/** The body of POST /api/sales for the cart and the payments. */
export function saleBody(cart: Cart, lines: readonly PaymentLine[], approval?: Approval): NewSale {
  return {
    items: saleItems(cart),
    ...discountBody(cart.discount),
    ...(lines.length > 0 ? { payments: paymentsBody(lines) } : {}),
    ...(approval ? { discount_approval: approval } : {}),
    ...(cart.customer ? { customer_id: cart.customer.id } : {}),
  };
}

/**
 * Finishing a sale: the dialog (F2), the payments (one or several methods, cash with change),
 * the administrator's approval of a discount when the server asks for it, and the one request.
 * The cart's attempt key goes as the Idempotency-Key (it changes whenever the cart does, never
 * between retries of the same cart), a second confirm while the first is in flight does
 * nothing, and a refusal about an item is put next to that item with the cart kept.
 */
export function useCheckout({ cartRef, update, notify, focusSearch, onSold }: CheckoutOptions) {
  const [open, setOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [lines, setLines] = useState<PaymentLine[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('dinheiro');
  const [entry, setEntry] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** set while the server waits for an administrator's approval of the discount */
  const [approval, setApproval] = useState<{ message: string; error: string | null } | null>(null);
  const [lastSale, setLastSale] = useState<Sale | null>(null);
  // State changes only show at the next render; these stop a double click in between.
  const inFlightRef = useRef(false);
  const linesRef = useRef<PaymentLine[]>([]);
  const createSale = useCreateSale();
  const paymentLabel = usePaymentLabel();

  function setAllLines(next: PaymentLine[]) {
    linesRef.current = next;
    setLines(next);
  }

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
    const priced = pricedCart(cart);
    if (priced.error) {
      notify({ kind: 'error', text: `${priced.error} Corrija o desconto antes de finalizar.` });
      return;
    }
    notify(null);
    setAllLines([]);
    setMethod('dinheiro');
    setEntry('');
    setError(null);
    setApproval(null);
    setLastSale(null);
    setOpen(true);
  }

  function close() {
    if (inFlightRef.current) return;
    setOpen(false);
    setApproval(null);
    setTimeout(focusSearch, 0);
  }

  function removeLine(index: number) {
    if (inFlightRef.current) return;
    setAllLines(linesRef.current.filter((_, i) => i !== index));
    setError(null);
  }

  /**
   * Enter or the button: the amount typed becomes a payment line; once the lines pay the total,
   * the sale is sent. Returns 'partial' when a line was added and something is still missing.
   */
  async function confirm(): Promise<'partial' | 'sent' | 'invalid' | 'busy'> {
    if (inFlightRef.current) return 'busy';
    const cart = cartRef.current;
    if (cart.items.length === 0) return 'invalid';
    const total = pricedCart(cart).total;
    const p = preview(total, linesRef.current, method, entry, paymentLabel);
    if (p.error) {
      setError(p.error);
      return 'invalid';
    }
    const all = p.line ? [...linesRef.current, p.line] : linesRef.current;
    setAllLines(all);
    setEntry('');
    setError(null);
    if (remainingCents(total, all) > 0) return 'partial';
    await send(all);
    return 'sent';
  }

  /** The administrator's name and password for the discount: the same sale, approved. */
  async function approve(credentials: Approval) {
    if (inFlightRef.current) return;
    await send(linesRef.current, credentials);
  }

  async function send(all: readonly PaymentLine[], credentials?: Approval) {
    if (inFlightRef.current) return;
    const snapshot = cartRef.current;
    if (snapshot.items.length === 0) return;
    inFlightRef.current = true;
    setSubmitting(true);
    try {
      const sale = await createSale.mutateAsync({
        sale: saleBody(snapshot, all, credentials),
        idempotencyKey: snapshot.attemptKey,
      });
      onSold?.(snapshot, sale);
      update(() => emptyCart());
      setOpen(false);
      setApproval(null);
      setLastSale(sale);
      const methods = [...new Set(sale.payments.map((x) => x.method))].map(paymentLabel).join(' + ');
      const change = sale.change;
      notify({
        kind: 'success',
        text: `Venda nº ${sale.id} registrada: ${formatBRL(sale.total_amount)}${methods ? ` (${methods})` : ''}${change > 0 ? ` · Troco ${formatBRL(change)}` : ''}.`,
      });
      setEntry('');
      setAllLines([]);
      setTimeout(focusSearch, 0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // going to the login; the cart is saved
      const message = e instanceof Error ? e.message : 'Erro ao finalizar a venda.';
      if (needsApproval(e)) {
        setApproval({ message, error: null });
        return;
      }
      if (credentials) {
        // Refused approval (403), too many attempts (429): said in the approval dialog.
        setApproval((a) => ({ message: a?.message ?? '', error: message }));
        return;
      }
      const r = e instanceof ApiError ? applyServerError(cartRef.current, e.body, message) : { cart: cartRef.current, onItem: false };
      if (r.onItem) {
        update(() => r.cart);
        setOpen(false);
        notify({ kind: 'error', text: `Venda não finalizada: ${message.replace(/\.?$/, '.')} Ajuste o item marcado e tente de novo.` });
      } else {
        setError(message);
        notify({ kind: 'error', text: `Venda não finalizada: ${message}` });
      }
    } finally {
      inFlightRef.current = false;
      setSubmitting(false);
    }
  }

  return {
    open,
    submitting,
    lines,
    method,
    setMethod: (m: PaymentMethod) => {
      setMethod(m);
      setError(null);
    },
    entry,
    setEntry: (v: string) => {
      setEntry(v);
      setError(null);
    },
    error,
    approval,
    cancelApproval: () => setApproval(null),
    approve,
    removeLine,
    lastSale,
    start,
    close,
    confirm,
  };
}
