import { useRef, useState } from 'preact/hooks';
import { ApiError, isUnreachable } from '../../api/client';
import { serverReachable } from '../../api/connectivity';
import type { PaymentMethod, Sale, Settings, Store } from '../../api/types';
import { useSession } from '../../app/hooks';
import { formatBRL } from '../../lib/money';
import { useCurrentCash } from '../cash/api';
import { usePaymentLabel } from '../info/api';
import { useCreateSale } from '../sales/api';
import { applyServerError, blockingItems, type Cart, emptyCart, pricedCart } from './cart';
import { type Approval, needsApproval, offlineDiscountRefusal } from './discountLimit';
import type { Notice } from './notice';
import { keepSale } from './offline/outbox';
import { pendingSale, receiptSale } from './offline/pending';
import { type PaymentLine, preview, remainingCents } from './payments';
import { saleBody } from './saleBody';

/** How long the live attempt waits for the server before the sale is kept on the terminal. */
export const LIVE_SALE_TIMEOUT_MS = 10_000;

const KEPT_NOTICE = 'Venda guardada neste terminal; será enviada quando o servidor voltar';

export interface CheckoutOptions {
  /** the cart as it is now (a scan may have changed it since the last render) */
  cartRef: { readonly current: Cart };
  update: (fn: (c: Cart) => Cart) => Cart;
  notify: (notice: Notice) => void;
  focusSearch: () => void;
  /** The sale went through with these items (`kept`: on this terminal, for the server later;
   * the sale is then as the PDV shows it, without a number). */
  onSold?: (cart: Cart, sale: Sale, kept: boolean) => void;
  /** the store the PDV sells in, when the seller works in several (sent as `store_id`) */
  store?: Store;
  /** the settings of the store the PDV shows (see useStoreChoice), once read */
  settings: Settings | undefined;
}

/**
 * Finishing a sale: the dialog (F2), the payments (one or several methods, cash with change),
 * the administrator's approval of a discount when the server asks for it, and the one request.
 * The cart's attempt key goes as the Idempotency-Key (it changes whenever the cart does, never
 * between retries of the same cart), a second confirm while the first is in flight does
 * nothing, and a refusal about an item is put next to that item with the cart kept.
 *
 * When the server does not answer (no response in LIVE_SALE_TIMEOUT_MS, a network error, a
 * gateway's 502/503/504), or is already known to be unreachable, the sale is kept on the
 * terminal (offline/outbox.ts) and sent when the server is back; a discount above the
 * employees' limit cannot be approved then, and is refused here.
 */
export function useCheckout({ cartRef, update, notify, focusSearch, onSold, store, settings }: CheckoutOptions) {
  const [open, setOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [lines, setLines] = useState<PaymentLine[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('dinheiro');
  const [entry, setEntry] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** set while the server waits for an administrator's approval of the discount */
  const [approval, setApproval] = useState<{ message: string; error: string | null } | null>(null);
  const [lastSale, setLastSale] = useState<Sale | null>(null);
  /** the last sale is kept on this terminal, not yet on the server */
  const [lastKept, setLastKept] = useState(false);
  // State changes only show at the next render; these stop a double click in between.
  const inFlightRef = useRef(false);
  const linesRef = useRef<PaymentLine[]>([]);
  const createSale = useCreateSale();
  const paymentLabel = usePaymentLabel();
  const user = useSession()?.user;
  const cash = useCurrentCash().data;

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

  /** The sale is done (on the server, or kept here): the cart starts again. */
  function finish(snapshot: Cart, sale: Sale, kept: boolean) {
    onSold?.(snapshot, sale, kept);
    update(() => emptyCart());
    setOpen(false);
    setApproval(null);
    setLastSale(sale);
    setLastKept(kept);
    const methods = [...new Set(sale.payments.map((x) => x.method))].map(paymentLabel).join(' + ');
    const what = kept ? `${KEPT_NOTICE}. Total` : `Venda nº ${sale.id} registrada:`;
    notify({
      kind: 'success',
      text: `${what} ${formatBRL(sale.total_amount)}${methods ? ` (${methods})` : ''}${sale.change > 0 ? ` · Troco ${formatBRL(sale.change)}` : ''}.`,
    });
    setEntry('');
    setAllLines([]);
    setTimeout(focusSearch, 0);
  }

  /** Keeps the sale on the terminal, unless it needs what only the server gives. */
  async function keep(snapshot: Cart, all: readonly PaymentLine[]) {
    const refusal = !user
      ? 'Entre novamente para vender.'
      : (offlineDiscountRefusal(pricedCart(snapshot), user.role, settings) ??
        (settings?.require_cash_session && cash === null ? 'Sem conexão com o servidor: abra o caixa antes de vender (abrir o caixa precisa do servidor).' : null));
    if (!user || refusal) {
      setError(refusal);
      notify({ kind: 'error', text: `Venda não finalizada: ${refusal}` });
      return;
    }
    const pending = pendingSale(snapshot, all, user, cash?.id, new Date(), store);
    try {
      await keepSale(pending);
    } catch (e) {
      const message = `Não foi possível guardar a venda neste terminal (${e instanceof Error ? e.message : 'erro'}). Tente de novo.`;
      setError(message);
      notify({ kind: 'error', text: `Venda não finalizada: ${message}` });
      return;
    }
    finish(snapshot, receiptSale(pending), true);
  }

  async function send(all: readonly PaymentLine[], credentials?: Approval) {
    if (inFlightRef.current) return;
    const snapshot = cartRef.current;
    if (snapshot.items.length === 0) return;
    inFlightRef.current = true;
    setSubmitting(true);
    try {
      // Known to be offline: no need to wait for the timeout. An approval needs the server.
      if (!credentials && !serverReachable()) return await keep(snapshot, all);
      let sale: Sale;
      try {
        sale = await createSale.mutateAsync({
          sale: saleBody(snapshot, all, credentials, store?.id),
          idempotencyKey: snapshot.attemptKey,
          signal: AbortSignal.timeout(LIVE_SALE_TIMEOUT_MS),
        });
      } catch (e) {
        if (!credentials && isUnreachable(e)) return await keep(snapshot, all);
        throw e;
      }
      finish(snapshot, sale, false);
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
    lastKept,
    start,
    close,
    confirm,
  };
}
