import { useEffect } from 'preact/hooks';
import type { SaleCustomer } from '../../api/types';
import { customerDocument } from '../../components/Receipt';
import { formatCents } from '../../lib/money';
import { formatQuantity, isFractional, parseQuantityInput, quantityToInput } from '../../lib/quantity';
import { type Cart, itemCount, pricedCart, removeItem, setItemDiscount, setQuantity, setSaleDiscount } from './cart';
import { DiscountField } from './DiscountField';

/**
 * The cart: the customer of the sale (F3), quantity (typed or −/+, never beyond the stock
 * known), unit price, subtotal, the error of an item, the total, and the buttons to empty it
 * and to finish (F2).
 */
export function CartPanel(props: {
  cart: Cart;
  update: (fn: (c: Cart) => Cart) => Cart;
  /** the product last scanned or added: highlighted and kept in view */
  lastTouched: number | null;
  submitting: boolean;
  onClear: () => void;
  onCheckout: () => void;
  focusSearch: () => void;
  onPickCustomer: () => void;
  onRemoveCustomer: () => void;
}) {
  const { cart, update, lastTouched, focusSearch } = props;
  const priced = pricedCart(cart);

  useEffect(() => {
    if (lastTouched !== null) document.querySelector(`[data-product-id="${lastTouched}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [lastTouched, cart]);

  return (
    <section aria-labelledby="pdv-cart-title" class="card flex flex-col">
      <div class="mb-2 flex items-baseline justify-between">
        <h2 id="pdv-cart-title" class="text-lg font-bold">
          Carrinho
        </h2>
        <span class="text-sm text-slate-700" data-testid="cart-count">
          {itemCount(cart)} item(ns)
        </span>
      </div>
      <SaleCustomerLine customer={cart.customer ?? null} onPick={props.onPickCustomer} onRemove={props.onRemoveCustomer} disabled={props.submitting} />
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
                <th scope="col" class="text-right">
                  Desconto <kbd class="kbd">F4</kbd>
                </th>
                <th scope="col" class="text-right">Subtotal</th>
                <th scope="col"><span class="sr-only">Ações</span></th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((item, index) => {
                const line = priced.lines[index]!;
                return (
                <tr
                  key={item.product_id}
                  data-product-id={item.product_id}
                  class={`scroll-mt-12 ${item.error ? 'bg-red-50' : item.product_id === lastTouched ? 'bg-blue-50' : ''}`}
                >
                  <td>
                    <div class="font-medium">{item.name}</div>
                    <div class="text-sm tabular-nums" data-testid="line-quantity">
                      {formatQuantity(item.quantity, item.unit)} × {formatCents(item.unit_cents)}
                      {item.labels?.length ? <span class="ml-1 text-xs text-slate-600">(etiqueta da balança)</span> : null}
                    </div>
                    <div class="text-xs text-slate-600">
                      {item.code && <span class="mr-2 font-mono">{item.code}</span>}
                      estoque {formatQuantity(item.stock, item.unit)}
                    </div>
                    {item.error && (
                      <div role="alert" class="mt-1 text-sm font-medium text-red-800" data-testid="item-error">
                        {item.error}
                      </div>
                    )}
                  </td>
                  <td>
                    {isFractional(item.unit) ? (
                      <input
                        type="text"
                        inputMode="decimal"
                        class="input w-24 px-1 text-right"
                        aria-label={`Quantidade de ${item.name} (${item.unit})`}
                        value={quantityToInput(item.quantity, item.unit)}
                        disabled={!!item.labels?.length}
                        title={item.labels?.length ? 'Quantidade da etiqueta da balança' : undefined}
                        onChange={(e) => {
                          const milli = parseQuantityInput(e.currentTarget.value, item.unit);
                          const next = milli === null ? cart : update((c) => setQuantity(c, item.product_id, milli / 1000).cart);
                          const kept = next.items.find((i) => i.product_id === item.product_id)?.quantity ?? item.quantity;
                          e.currentTarget.value = quantityToInput(kept, item.unit);
                        }}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') {
                            e.currentTarget.blur();
                            focusSearch();
                          }
                        }}
                      />
                    ) : (
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
                          const next = update((c) => setQuantity(c, item.product_id, Number(e.currentTarget.value)).cart);
                          // What was kept (a quantity beyond the stock is capped, below 1 refused).
                          e.currentTarget.value = String(next.items.find((i) => i.product_id === item.product_id)?.quantity ?? item.quantity);
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
                    )}
                  </td>
                  <td class="text-right tabular-nums">{formatCents(item.unit_cents)}</td>
                  <td class="text-right">
                    <DiscountField
                      id={`discount-${item.product_id}`}
                      class="flex flex-col items-end"
                      label={`Desconto de ${item.name}`}
                      value={item.discount}
                      invalid={line.invalid ? 'Maior que o valor do item.' : null}
                      onChange={(d) => update((c) => setItemDiscount(c, item.product_id, d))}
                      onDone={focusSearch}
                    />
                  </td>
                  <td class="text-right tabular-nums">
                    {line.discount > 0 ? (
                      <>
                        <div class="text-xs text-slate-600 line-through">{formatCents(line.gross)}</div>
                        <div class="font-semibold" data-testid="line-total">{formatCents(line.afterOwn)}</div>
                      </>
                    ) : (
                      <span class="font-semibold">{formatCents(line.gross)}</span>
                    )}
                  </td>
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
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div class="mt-auto border-t border-slate-200 pt-3">
        {cart.items.length > 0 && (
          <div class="mb-2 flex flex-wrap items-start justify-between gap-2 text-sm">
            <label htmlFor="sale-discount" class="pt-1.5">
              Desconto na venda <kbd class="kbd">F8</kbd>
            </label>
            <DiscountField
              id="sale-discount"
              class="flex flex-col items-end"
              label="Desconto na venda"
              value={cart.discount}
              invalid={priced.error && !priced.lines.some((l) => l.invalid) ? 'Maior que o total.' : null}
              onChange={(d) => update((c) => setSaleDiscount(c, d))}
              onDone={focusSearch}
            />
          </div>
        )}
        {priced.discount > 0 && (
          <div class="text-sm text-slate-700" data-testid="cart-discounts">
            <div class="flex justify-between">
              <span>Subtotal</span>
              <span class="tabular-nums">{formatCents(priced.subtotal)}</span>
            </div>
            <div class="flex justify-between">
              <span>Descontos</span>
              <span class="tabular-nums">−{formatCents(priced.discount)}</span>
            </div>
          </div>
        )}
        <div class="flex items-baseline justify-between">
          <span class="text-lg font-semibold">Total</span>
          <span class="text-3xl font-bold tabular-nums" data-testid="cart-total">
            {formatCents(priced.total)}
          </span>
        </div>
        <div class="mt-3 flex flex-wrap justify-end gap-2">
          <button type="button" class="btn" disabled={cart.items.length === 0 || props.submitting} onClick={props.onClear}>
            Esvaziar carrinho
          </button>
          <button
            type="button"
            class="btn btn-primary px-5 py-2 text-base"
            disabled={cart.items.length === 0 || props.submitting}
            onClick={props.onCheckout}
          >
            Finalizar venda <kbd class="kbd ml-1 text-slate-800">F2</kbd>
          </button>
        </div>
      </div>
    </section>
  );
}

/** "Cliente: Ana Souza · CPF: 529.982.247-25", as the receipt will print it. */
export function CustomerName({ customer }: { customer: SaleCustomer }) {
  return (
    <span>
      Cliente: <strong>{customer.name}</strong>
      {customer.document && <span class="text-xs"> · {customerDocument(customer.document)}</span>}
    </span>
  );
}

/** Who is buying, to change (F3) or remove; or the button to name them. */
export function SaleCustomerLine({
  customer,
  onPick,
  onRemove,
  disabled,
}: {
  customer: SaleCustomer | null;
  onPick: () => void;
  onRemove: () => void;
  disabled: boolean;
}) {
  return (
    <div class="mb-2 flex flex-wrap items-center justify-between gap-2 rounded-md bg-slate-50 px-2 py-1.5 text-sm" data-testid="sale-customer">
      {customer ? (
        <>
          <CustomerName customer={customer} />
          <span class="flex gap-1">
            <button type="button" class="btn btn-sm" onClick={onPick} disabled={disabled}>
              Trocar <kbd class="kbd">F3</kbd>
            </button>
            <button type="button" class="btn btn-sm" onClick={onRemove} disabled={disabled} aria-label={`Remover o cliente ${customer.name} da venda`}>
              Remover
            </button>
          </span>
        </>
      ) : (
        <>
          <span class="text-slate-700">Venda sem cliente identificado.</span>
          <button type="button" class="btn btn-sm" onClick={onPick} disabled={disabled}>
            Cliente <kbd class="kbd">F3</kbd>
          </button>
        </>
      )}
    </div>
  );
}
