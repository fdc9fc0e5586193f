// Ponto de venda: keyboard first. The search box has the focus; a barcode scanner is a
// keyboard that types fast and presses Enter. The parts: the local catalog (codeIndex.ts), the
// search as one types (useProductSearch.ts), the scan queue (useScanner.ts), the cart (cart.ts,
// useCart.ts, CartPanel.tsx), the customer of the sale (CustomerPicker.tsx, F3) and the checkout
// (useCheckout.ts, CheckoutDialog.tsx). Without the server it sells from the catalog kept on the
// terminal and keeps the sales for later (offline/: the outbox and its sending). A seller who works
// in several stores says in which one ("Loja:", remembered on this device).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CatalogProduct, SaleCustomer } from '../../api/types';
import { useServerReachable, useSession, useTitle } from '../../app/hooks';
import { IdSelect } from '../../components/IdSelect';
import { askPersistentStorage } from '../../lib/deviceDb';
import { useCurrentCash } from '../cash/api';
import { useTimezone } from '../info/api';
import { useSettings } from '../settings/api';
import { useStoreChoice } from '../stores/api';
import { ApprovalDialog } from './ApprovalDialog';
import { addProduct, clearErrors, emptyCart, lastItemKey, pricedCart, refreshProduct, type ScaleLabelLine, setCustomer } from './cart';
import { CartPanel } from './CartPanel';
import { CashStatus } from './CashStatus';
import { CheckoutDialog } from './CheckoutDialog';
import { useCatalog } from './codeIndex';
import { CustomerPicker } from './CustomerPicker';
import { LastSale } from './LastSale';
import type { Notice } from './notice';
import { OutboxPanel } from './offline/OutboxPanel';
import { syncNow } from './offline/sync';
import { useOutbox } from './offline/useOutbox';
import { SearchPanel } from './SearchPanel';
import { usePersistentCart } from './useCart';
import { useCheckout } from './useCheckout';
import { useProductSearch } from './useProductSearch';
import { useReceiptPrinting } from './useReceiptPrinting';
import { useScanner } from './useScanner';

export default function PdvPage() {
  useTitle('PDV');
  const userId = useSession()?.user.id ?? 0;
  const { cart, cartRef, update } = usePersistentCart(userId);
  const [entry, setEntry] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const [lastTouched, setLastTouched] = useState<number | null>(null);
  const [picking, setPicking] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const cash = useCurrentCash();
  const place = useStoreChoice(cash.data?.store_id);
  const catalog = useCatalog(place.shows, place.known);
  const search = useProductSearch(entry, catalog.index, catalog.status !== null, place.shows);
  const focusSearch = () => searchRef.current?.focus();

  useEffect(() => {
    searchRef.current?.focus();
    askPersistentStorage(); // the sales kept here must survive a full disk
  }, []);

  // The server's catalog came (again, or of another store): the cart shows its prices and stock.
  useEffect(() => {
    if (!catalog.status || catalog.status.copy) return;
    update((c) => c.items.reduce((next, i) => {
      const known = catalog.index.product(i.product_id);
      return known ? refreshProduct(next, i.product_id, known) : next;
    }, c));
  }, [catalog.status, catalog.index, update]);

  function add(product: CatalogProduct, quantity: number, label?: ScaleLabelLine) {
    setLastTouched(product.id);
    let error: string | undefined;
    update((c) => {
      const r = addProduct(clearErrors(c), product, quantity, label);
      error = r.error;
      return r.cart;
    });
    setNotice(error ? { kind: 'error', text: error } : null);
  }

  const scan = useScanner({
    index: catalog.index,
    storeId: place.shows,
    add,
    refresh: (productId, fresh) => update((c) => refreshProduct(c, productId, fresh)),
    notify: setNotice,
    retype: setEntry,
  });

  // Read once the store is known, not the shop's before it.
  const settings = useSettings(place.shows, place.known);
  const timeZone = useTimezone();
  const receipt = useReceiptPrinting(setNotice, settings);
  const online = useServerReachable();
  const outbox = useOutbox();

  const checkout = useCheckout({
    store: place.store,
    settings,
    cartRef,
    update,
    notify: setNotice,
    focusSearch,
    onSold: (sold, sale, kept) => {
      catalog.index.sold(sold.items);
      if (receipt.auto) receipt.print(sale, kept);
    },
  });

  /** F3: the customer picker, over the cart or over the checkout ("CPF na nota?" is asked there). */
  function pickCustomer() {
    if (checkout.submitting || checkout.approval !== null) return;
    setPicking(true);
  }

  /** Back to where the operator was: the payment methods when paying, the search otherwise. */
  function closePicker() {
    setPicking(false);
    setTimeout(() => {
      const method = checkout.open ? document.querySelector<HTMLInputElement>('input[name="payment"]:checked') : null;
      if (method) method.focus();
      else focusSearch();
    }, 0);
  }

  function chooseCustomer(customer: SaleCustomer | null) {
    update((c) => setCustomer(c, customer));
    setNotice(customer ? { kind: 'info', text: `Cliente da venda: ${customer.name}.` } : { kind: 'info', text: 'Cliente removido da venda.' });
    closePicker();
  }

  // F2 finishes the sale from anywhere on the page; F3 names the customer; F4 and F8 go to the
  // discounts of the last item and of the sale; Esc goes back to the search. While the customer
  // picker is open, its own keys apply.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === 'F3') {
        e.preventDefault();
        pickCustomer();
        return;
      }
      if (picking) return;
      if (e.key === 'F2') {
        e.preventDefault();
        checkout.start();
      } else if ((e.key === 'F4' || e.key === 'F8') && !checkout.open) {
        e.preventDefault();
        const items = cartRef.current.items;
        const target = e.key === 'F8' ? 'sale-discount' : `discount-${items.some((i) => i.product_id === lastTouched) ? lastTouched : items.at(-1)?.product_id}`;
        const field = document.getElementById(target) as HTMLInputElement | null;
        field?.focus();
        field?.select();
      } else if (e.key === 'Escape' && !checkout.open) {
        setEntry('');
        focusSearch();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  function onSearchKey(e: KeyboardEvent) {
    const box = e.currentTarget as HTMLInputElement;
    const onLast = box.value === '' ? lastItemKey(cartRef.current, e.key) : null;
    if (onLast) {
      e.preventDefault();
      update(() => onLast);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (search.move(e.key === 'ArrowDown' ? 1 : -1)) e.preventDefault();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const raw = box.value;
      const { highlighted, chosen } = search.candidate(raw);
      setEntry('');
      void scan(raw, highlighted, chosen);
    }
  }

  const last = checkout.lastSale;
  return (
    <div class="grid gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <div class="flex flex-wrap items-center justify-between gap-3 lg:col-span-2">
        <div class="flex flex-wrap items-center gap-x-4 gap-y-2">
          {place.store && (
            <IdSelect
              id="pdv-store"
              label="Loja:"
              inline
              options={place.stores}
              value={String(place.store.id)}
              onChange={(v) => place.choose(Number(v))}
              disabled={place.locked}
              hint={place.locked ? '(caixa aberto nesta loja)' : undefined}
            />
          )}
          <CashStatus session={cash.isError ? undefined : cash.data} required={!!settings?.require_cash_session} timeZone={timeZone} />
        </div>
        <OutboxPanel online={online} outbox={outbox} timeZone={timeZone} onSendNow={syncNow} />
      </div>
      {last && (
        <div class="lg:col-span-2">
          <LastSale sale={last} kept={checkout.lastKept} printing={receipt.printing} onPrint={() => receipt.print(last, checkout.lastKept)} />
        </div>
      )}
      <SearchPanel
        inputRef={searchRef}
        entry={entry}
        onEntry={setEntry}
        onKeyDown={onSearchKey}
        catalog={catalog.status}
        notice={notice}
        results={{
          term: search.term,
          found: search.found,
          active: search.active,
          fetching: search.results.isFetching,
          done: search.results.isSuccess,
          error: search.results.error,
          onPick: (p) => {
            add(p, 1);
            setEntry('');
            focusSearch();
          },
        }}
      />
      <CartPanel
        cart={cart}
        update={update}
        onPickCustomer={pickCustomer}
        onRemoveCustomer={() => chooseCustomer(null)}
        lastTouched={lastTouched}
        submitting={checkout.submitting}
        focusSearch={focusSearch}
        onCheckout={checkout.start}
        onClear={() => {
          update(() => emptyCart());
          setNotice({ kind: 'info', text: 'Carrinho esvaziado.' });
          focusSearch();
        }}
      />
      <CheckoutDialog
        open={checkout.open}
        storeId={place.shows}
        priced={pricedCart(cart)}
        customer={cart.customer ?? null}
        onPickCustomer={pickCustomer}
        lines={checkout.lines}
        method={checkout.method}
        onMethod={checkout.setMethod}
        entry={checkout.entry}
        onEntry={checkout.setEntry}
        error={checkout.error}
        submitting={checkout.submitting}
        onConfirm={checkout.confirm}
        onRemoveLine={checkout.removeLine}
        onClose={checkout.close}
      />
      <ApprovalDialog
        open={checkout.approval !== null}
        message={checkout.approval?.message ?? ''}
        error={checkout.approval?.error ?? null}
        submitting={checkout.submitting}
        onApprove={(a) => void checkout.approve(a)}
        onClose={checkout.cancelApproval}
      />
      <CustomerPicker open={picking} current={cart.customer ?? null} onPick={chooseCustomer} onRemove={() => chooseCustomer(null)} onClose={closePicker} />
      {receipt.printer}
    </div>
  );
}
