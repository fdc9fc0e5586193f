// Ponto de venda: keyboard first. The search box has the focus; a barcode scanner is a
// keyboard that types fast and presses Enter.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { findByCode, listProducts } from '../../api/products';
import { createSale, PAYMENT_LABELS } from '../../api/sales';
import type { PaymentMethod, Product } from '../../api/types';
import { useDebounced, useSession, useTitle } from '../../app/hooks';
import { Alert } from '../../components/ui';
import { formatBRL, formatCents, parseMoneyInput } from '../../lib/money';
import {
  addProduct,
  applyServerError,
  blockingItems,
  type Cart,
  changeCents,
  clearErrors,
  emptyCart,
  itemCount,
  parseEntry,
  refreshProduct,
  removeItem,
  saleItems,
  setQuantity,
  subtotalCents,
  totalCents,
} from './cart';
import { CheckoutDialog } from './CheckoutDialog';
import { CodeIndex, preloadCatalog } from './codeIndex';
import { usePersistentCart } from './useCart';

const SEARCH_DEBOUNCE_MS = 200;

type Notice = { kind: 'error' | 'success' | 'info'; text: string } | null;

export default function PdvPage() {
  useTitle('PDV');
  const userId = useSession()?.user.id ?? 0;
  const qc = useQueryClient();
  const { cart, cartRef, update } = usePersistentCart(userId);
  const [entry, setEntry] = useState('');
  const [active, setActive] = useState(0);
  const [navigated, setNavigated] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [checkoutOpen, setCheckoutOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [payment, setPayment] = useState<PaymentMethod>('dinheiro');
  const [received, setReceived] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const index = useRef(new CodeIndex()).current;
  const queueRef = useRef<Promise<void>>(Promise.resolve());
  const submittingRef = useRef(false);

  const term = parseEntry(entry).term;
  const debounced = useDebounced(term, SEARCH_DEBOUNCE_MS);
  const results = useQuery({
    queryKey: ['pdv-search', debounced],
    queryFn: ({ signal }) => listProducts({ search: debounced, per_page: 20 }, signal),
    enabled: debounced.length > 0,
    staleTime: 5_000,
  });
  const found = useMemo(() => (debounced && results.data ? results.data.products : []), [debounced, results.data]);
  useEffect(() => {
    index.remember(found);
    setActive(0);
    setNavigated(false);
  }, [found, index]);

  useEffect(() => searchRef.current?.focus(), []);

  // The catalog by code, loaded in the background: a scan is then answered from memory.
  const [catalog, setCatalog] = useState<{ loaded: number; total: number } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    preloadCatalog(index, abort.signal, (loaded, total) => setCatalog({ loaded, total })).catch(() => {
      // Offline or aborted: scans fall back to asking the server.
    });
    return () => abort.abort();
  }, [index]);

  // F2 finishes the sale from anywhere on the page; Esc goes back to the search.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === 'F2') {
        e.preventDefault();
        openCheckout();
      } else if (e.key === 'Escape' && !checkoutOpen) {
        setEntry('');
        searchRef.current?.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  function focusSearch() {
    searchRef.current?.focus();
  }

  // The row just scanned stays in view (and is highlighted) however long the cart gets.
  const [lastTouched, setLastTouched] = useState<number | null>(null);
  useEffect(() => {
    if (lastTouched !== null) document.querySelector(`[data-product-id="${lastTouched}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [lastTouched, cart]);

  function add(product: Product, quantity: number) {
    setLastTouched(product.id);
    let error: string | undefined;
    update((c) => {
      const r = addProduct(clearErrors(c), product, quantity);
      error = r.error;
      return r.cart;
    });
    setNotice(error ? { kind: 'error', text: error } : null);
  }

  /** Enter in the search box: an exact code first (scanner), then the highlighted result. */
  async function handleEntry(raw: string, highlighted: Product | undefined, useHighlighted: boolean) {
    const { quantity, term: typed } = parseEntry(raw);
    if (!typed) return;
    if (useHighlighted && highlighted) return add(highlighted, quantity);
    const known = index.get(typed);
    if (known) {
      add(known, quantity);
      // Added at once from memory; then confirm price and stock with the server.
      findByCode(typed)
        .then((fresh) => {
          if (fresh) index.update(fresh);
          update((c) => refreshProduct(c, known.id, fresh));
        })
        .catch(() => {});
      return;
    }
    try {
      const byCode = await findByCode(typed);
      if (byCode) {
        index.remember([byCode]);
        return add(byCode, quantity);
      }
      if (highlighted) return add(highlighted, quantity);
      const page = await listProducts({ search: typed, per_page: 20 });
      index.remember(page.products);
      if (page.products.length === 1) return add(page.products[0]!, quantity);
      if (page.products.length === 0) {
        setNotice({ kind: 'error', text: `Produto não encontrado: “${typed}”.` });
      } else {
        // Several matches: put the text back so the list shows them; ↑↓ and Enter choose.
        setEntry(raw);
        setNotice({ kind: 'info', text: `${page.products.length} produtos encontrados: escolha com ↑ ↓ e Enter.` });
      }
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        setNotice({ kind: 'error', text: e instanceof Error ? e.message : 'Erro ao buscar o produto.' });
      }
    }
  }

  function onSearchKey(e: KeyboardEvent) {
    // With the box empty, + / − change the last item's quantity and Delete removes it.
    const last = cartRef.current.items.at(-1);
    if (last && (e.currentTarget as HTMLInputElement).value === '' && ['+', '-', 'Delete'].includes(e.key)) {
      e.preventDefault();
      if (e.key === 'Delete') update((c) => removeItem(c, last.product_id));
      else if (e.key === '-' && last.quantity > 1) update((c) => setQuantity(c, last.product_id, last.quantity - 1).cart);
      else if (e.key === '+') update((c) => setQuantity(c, last.product_id, last.quantity + 1).cart);
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (found.length === 0) return;
      e.preventDefault();
      setNavigated(true);
      setActive((a) => (e.key === 'ArrowDown' ? Math.min(a + 1, found.length - 1) : Math.max(a - 1, 0)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const raw = (e.currentTarget as HTMLInputElement).value;
      // Only use the highlighted row when it belongs to what is typed now (a scanner types
      // faster than the debounce, so the list may still show an older search).
      const current = parseEntry(raw).term === debounced;
      const highlighted = current ? found[active] : undefined;
      const useHighlighted = current && navigated;
      setEntry('');
      // Scans are handled in order, even when the next one arrives before the lookup ends.
      queueRef.current = queueRef.current.then(() => handleEntry(raw, highlighted, useHighlighted));
    }
  }

  function openCheckout() {
    if (submittingRef.current) return;
    if (cartRef.current.items.length === 0) {
      setNotice({ kind: 'info', text: 'O carrinho está vazio. Leia ou busque um produto.' });
      focusSearch();
      return;
    }
    const blocked = blockingItems(cartRef.current);
    if (blocked.length > 0) {
      setNotice({ kind: 'error', text: `Ajuste os itens marcados antes de finalizar: ${blocked.map((i) => i.name).join(', ')}.` });
      return;
    }
    setNotice(null);
    setCheckoutOpen(true);
  }

  async function finish() {
    if (submittingRef.current) return;
    const snapshot: Cart = cartRef.current;
    if (snapshot.items.length === 0) return;
    submittingRef.current = true;
    setSubmitting(true);
    try {
      const sale = await createSale({ items: saleItems(snapshot), payment_method: payment }, snapshot.attemptKey);
      for (const item of snapshot.items) {
        const p = item.code ? index.get(item.code) : undefined;
        if (p) index.update({ ...p, stock: p.stock - item.quantity });
      }
      update(() => emptyCart());
      setCheckoutOpen(false);
      const change = payment === 'dinheiro' && received ? receivedChange(received, snapshot) : null;
      setNotice({
        kind: 'success',
        text: `Venda nº ${sale.id} registrada: ${formatBRL(sale.total_amount)} (${PAYMENT_LABELS[payment]})${change ? ` · Troco ${change}` : ''}.`,
      });
      setReceived('');
      void qc.invalidateQueries({ queryKey: ['pdv-search'] });
      void qc.invalidateQueries({ queryKey: ['products'] });
      void qc.invalidateQueries({ queryKey: ['sales'] });
      void qc.invalidateQueries({ queryKey: ['summary'] });
      setTimeout(focusSearch, 0);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // going to the login; the cart is saved
      const message = e instanceof Error ? e.message : 'Erro ao finalizar a venda.';
      const r = e instanceof ApiError ? applyServerError(cartRef.current, e.body, message) : { cart: cartRef.current, onItem: false };
      if (r.onItem) {
        update(() => r.cart);
        setCheckoutOpen(false);
        setNotice({ kind: 'error', text: `Venda não finalizada: ${message.replace(/\.?$/, '.')} Ajuste o item marcado e tente de novo.` });
      } else {
        setNotice({ kind: 'error', text: `Venda não finalizada: ${message}` });
      }
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
    }
  }

  const total = totalCents(cart);
  const listId = 'pdv-results';

  return (
    <div class="grid gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <section aria-labelledby="pdv-search-title" class="card">
        <h1 id="pdv-search-title" class="page-title mb-3">
          PDV
        </h1>
        <label htmlFor="pdv-search" class="label">
          Código de barras ou nome do produto
        </label>
        <input
          ref={searchRef}
          id="pdv-search"
          class="input py-2 text-base"
          autoComplete="off"
          spellcheck={false}
          role="combobox"
          aria-expanded={found.length > 0}
          aria-controls={listId}
          aria-activedescendant={found[active] ? `pdv-opt-${found[active].id}` : undefined}
          aria-describedby="pdv-keys"
          placeholder="Leia o código ou digite (ex.: 3*7891000 para 3 unidades)"
          value={entry}
          onInput={(e) => setEntry(e.currentTarget.value)}
          onKeyDown={onSearchKey}
        />
        <p class="mt-1 text-xs text-slate-600" data-testid="catalog-status">
          {catalog === null
            ? 'Carregando catálogo…'
            : catalog.loaded < catalog.total
              ? `Carregando catálogo: ${catalog.loaded} de ${catalog.total} produtos`
              : `Catálogo local: ${catalog.total} produtos`}
        </p>
        <p id="pdv-keys" class="mt-2 text-xs text-slate-700">
          <kbd class="kbd">Enter</kbd> adiciona · <kbd class="kbd">↑</kbd>
          <kbd class="kbd">↓</kbd> escolhe · <kbd class="kbd">+</kbd> <kbd class="kbd">−</kbd> quantidade do último ·{' '}
          <kbd class="kbd">Del</kbd> remove o último · <kbd class="kbd">F2</kbd> finaliza · <kbd class="kbd">Esc</kbd>{' '}
          volta à busca
        </p>
        <div class="mt-3" aria-live="polite">
          {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
        </div>
        <div class="mt-3">
          {debounced && results.isFetching && found.length === 0 && <p class="text-sm text-slate-700">Buscando…</p>}
          {debounced && !results.isFetching && results.isSuccess && found.length === 0 && (
            <p class="text-sm text-slate-700">Nenhum produto encontrado.</p>
          )}
          {results.isError && <Alert>{(results.error as Error).message}</Alert>}
          <div id={listId} role="listbox" aria-label="Produtos encontrados" class="divide-y divide-slate-200">
            {found.map((p, i) => (
              // The keyboard drives this list from the search box (aria-activedescendant); the
              // click is for a mouse or a touch screen.
              // oxlint-disable-next-line jsx-a11y/click-events-have-key-events
              <div
                key={p.id}
                id={`pdv-opt-${p.id}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                aria-disabled={p.stock <= 0}
                class={`flex cursor-pointer items-center justify-between gap-2 px-2 py-2 text-sm ${i === active ? 'bg-blue-100' : 'hover:bg-slate-50'}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  add(p, 1);
                  setEntry('');
                  focusSearch();
                }}
              >
                <span>
                  <span class="font-medium">{p.name}</span>
                  {p.code && <span class="ml-2 font-mono text-xs text-slate-600">{p.code}</span>}
                </span>
                <span class="whitespace-nowrap text-right">
                  <span class="font-semibold tabular-nums">{formatBRL(p.price)}</span>
                  <span class={`ml-2 text-xs ${p.stock <= 0 ? 'text-red-800' : 'text-slate-600'}`}>
                    {p.stock <= 0 ? 'sem estoque' : `estoque ${p.stock}`}
                  </span>
                </span>
              </div>
            ))}
          </div>
        </div>
      </section>

      <section aria-labelledby="pdv-cart-title" class="card flex flex-col">
        <div class="mb-2 flex items-baseline justify-between">
          <h2 id="pdv-cart-title" class="text-lg font-bold">
            Carrinho
          </h2>
          <span class="text-sm text-slate-700" data-testid="cart-count">
            {itemCount(cart)} item(ns)
          </span>
        </div>
        {cart.items.length === 0 ? (
          <p class="py-8 text-center text-sm text-slate-700">Nenhum item. Leia um código de barras para começar.</p>
        ) : (
          <div class="overflow-x-auto lg:max-h-[calc(100vh-17rem)] lg:overflow-y-auto">
            <table class="table" data-testid="cart">
              <thead class="sticky top-0 z-[1] bg-white">
                <tr>
                  <th scope="col">Produto</th>
                  <th scope="col" class="w-36">Qtd.</th>
                  <th scope="col" class="text-right">Unitário</th>
                  <th scope="col" class="text-right">Subtotal</th>
                  <th scope="col"><span class="sr-only">Ações</span></th>
                </tr>
              </thead>
              <tbody>
                {cart.items.map((item) => (
                  <tr
                    key={item.product_id}
                    data-product-id={item.product_id}
                    class={`scroll-mt-12 ${item.error ? 'bg-red-50' : item.product_id === lastTouched ? 'bg-blue-50' : ''}`}
                  >
                    <td>
                      <div class="font-medium">{item.name}</div>
                      <div class="text-xs text-slate-600">
                        {item.code && <span class="mr-2 font-mono">{item.code}</span>}
                        estoque {item.stock}
                      </div>
                      {item.error && (
                        <div role="alert" class="mt-1 text-sm font-medium text-red-800" data-testid="item-error">
                          {item.error}
                        </div>
                      )}
                    </td>
                    <td>
                      <div class="flex items-center gap-1">
                        <button
                          type="button"
                          class="btn btn-sm"
                          aria-label={`Diminuir ${item.name}`}
                          disabled={item.quantity <= 1}
                          onClick={() => update((c) => setQuantity(c, item.product_id, item.quantity - 1).cart)}
                        >
                          −
                        </button>
                        <input
                          type="number"
                          min={1}
                          max={item.stock}
                          inputMode="numeric"
                          class="input w-16 px-1 text-center"
                          aria-label={`Quantidade de ${item.name}`}
                          value={item.quantity}
                          onChange={(e) => {
                            const q = Number(e.currentTarget.value);
                            const r = setQuantity(cartRef.current, item.product_id, q);
                            update(() => r.cart);
                            e.currentTarget.value = String(r.cart.items.find((i) => i.product_id === item.product_id)?.quantity ?? item.quantity);
                          }}
                          onKeyDown={(e) => {
                            if (e.key === 'Enter') {
                              e.currentTarget.blur();
                              focusSearch();
                            }
                          }}
                        />
                        <button
                          type="button"
                          class="btn btn-sm"
                          aria-label={`Aumentar ${item.name}`}
                          onClick={() => update((c) => setQuantity(c, item.product_id, item.quantity + 1).cart)}
                        >
                          +
                        </button>
                      </div>
                    </td>
                    <td class="text-right tabular-nums">{formatCents(item.unit_cents)}</td>
                    <td class="text-right font-semibold tabular-nums">{formatCents(subtotalCents(item))}</td>
                    <td class="text-right">
                      <button
                        type="button"
                        class="btn btn-sm"
                        aria-label={`Remover ${item.name}`}
                        onClick={() => {
                          update((c) => removeItem(c, item.product_id));
                          focusSearch();
                        }}
                      >
                        Remover
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div class="mt-auto border-t border-slate-200 pt-3">
          <div class="flex items-baseline justify-between">
            <span class="text-lg font-semibold">Total</span>
            <span class="text-3xl font-bold tabular-nums" data-testid="cart-total">
              {formatCents(total)}
            </span>
          </div>
          <div class="mt-3 flex flex-wrap justify-end gap-2">
            <button
              type="button"
              class="btn"
              disabled={cart.items.length === 0 || submitting}
              onClick={() => {
                update(() => emptyCart());
                setNotice({ kind: 'info', text: 'Carrinho esvaziado.' });
                focusSearch();
              }}
            >
              Esvaziar carrinho
            </button>
            <button type="button" class="btn btn-primary px-5 py-2 text-base" disabled={cart.items.length === 0 || submitting} onClick={openCheckout}>
              Finalizar venda <kbd class="kbd ml-1 text-slate-800">F2</kbd>
            </button>
          </div>
        </div>
      </section>

      <CheckoutDialog
        open={checkoutOpen}
        totalCents={total}
        payment={payment}
        onPayment={setPayment}
        received={received}
        onReceived={setReceived}
        submitting={submitting}
        onConfirm={finish}
        onClose={() => {
          setCheckoutOpen(false);
          setTimeout(focusSearch, 0);
        }}
      />
    </div>
  );
}

function receivedChange(received: string, cart: Cart): string | null {
  const r = parseMoneyInput(received);
  const change = r === null ? null : changeCents(r, totalCents(cart));
  return change === null ? null : formatCents(change);
}
