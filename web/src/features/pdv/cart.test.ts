import { describe, expect, it } from 'vitest';
import type { Product } from '../../api/types';
import {
  addProduct,
  applyServerError,
  blockingItems,
  emptyCart,
  itemCount,
  lastItemKey,
  parseEntry,
  parseStoredCart,
  refreshProduct,
  removeItem,
  saleItems,
  pricedCart,
  setCustomer,
  setItemDiscount,
  setQuantity,
  setSaleDiscount,
  subtotalCents,
  totalCents,
} from './cart';

function product(id: number, price: number, stock: number, code: string | null = null): Product {
  return {
    id,
    name: `Produto ${id}`,
    description: null,
    price,
    catalog_price: price,
    stock,
    category_id: 1,
    category_name: 'Geral',
    created_at: '2026-11-01T10:00:00Z',
    code,
    min_stock: 5,
    low_stock: false,
    updated_at: '2026-11-01T10:00:00Z',
    unit: 'UN',
    barcode: null,
    barcodes: [],
    cost_price: null,
    average_cost: null,
    active: true,
    photo_url: null,
    thumbnail_url: null,
  };
}

describe('cart', () => {
  it('adds in exact cents (0.1 + 0.2 is 0.30, not 0.30000000000000004)', () => {
    let c = emptyCart();
    c = addProduct(c, product(1, 0.1, 10)).cart;
    c = addProduct(c, product(2, 0.2, 10)).cart;
    expect(totalCents(c)).toBe(30);
    c = addProduct(c, product(3, 19.99, 10), 3).cart;
    expect(subtotalCents(c.items[2]!)).toBe(5997);
    expect(totalCents(c)).toBe(6027);
  });

  it('sums many float-unfriendly prices exactly', () => {
    let c = emptyCart();
    for (let i = 1; i <= 100; i++) c = addProduct(c, product(i, 1.15, 10)).cart;
    expect(totalCents(c)).toBe(11500);
    expect(itemCount(c)).toBe(100);
  });

  it('scanning the same product again adds one more', () => {
    let c = emptyCart();
    const p = product(7, 4.5, 5, '789');
    c = addProduct(c, p).cart;
    c = addProduct(c, p).cart;
    expect(c.items).toHaveLength(1);
    expect(c.items[0]!.quantity).toBe(2);
    expect(totalCents(c)).toBe(900);
  });

  it('refuses to go beyond the stock and says how much there is', () => {
    let c = emptyCart();
    const p = product(7, 4.5, 2);
    c = addProduct(c, p, 2).cart;
    const r = addProduct(c, p);
    expect(r.error).toMatch(/disponível 2/);
    expect(r.cart.items[0]!.quantity).toBe(2);
    expect(r.cart.items[0]!.error).toMatch(/disponível 2/);
    const none = addProduct(emptyCart(), product(8, 1, 0));
    expect(none.cart.items).toHaveLength(0);
    expect(none.error).toMatch(/Sem estoque/);
  });

  it('caps a typed quantity at the stock and ignores invalid ones', () => {
    let c = addProduct(emptyCart(), product(1, 2.5, 4)).cart;
    const r = setQuantity(c, 1, 10);
    expect(r.cart.items[0]!.quantity).toBe(4);
    expect(r.error).toMatch(/disponível 4/);
    c = setQuantity(r.cart, 1, 3).cart;
    expect(c.items[0]!.quantity).toBe(3);
    expect(c.items[0]!.error).toBeUndefined();
    expect(setQuantity(c, 1, 0).cart).toBe(c);
    expect(setQuantity(c, 1, 1.5).cart).toBe(c);
    expect(setQuantity(c, 1, Number.NaN).cart).toBe(c);
  });

  it('removes items', () => {
    let c = addProduct(emptyCart(), product(1, 1, 9)).cart;
    c = addProduct(c, product(2, 2, 9)).cart;
    c = removeItem(c, 1);
    expect(c.items.map((i) => i.product_id)).toEqual([2]);
    expect(totalCents(c)).toBe(200);
  });

  it('gets a new idempotency key whenever the cart changes, and keeps it otherwise', () => {
    const c0 = emptyCart();
    const c1 = addProduct(c0, product(1, 1, 9)).cart;
    expect(c1.attemptKey).not.toBe(c0.attemptKey);
    expect(c1.attemptKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const c2 = setQuantity(c1, 1, 2).cart;
    expect(c2.attemptKey).not.toBe(c1.attemptKey);
    const marked = applyServerError(c2, { product_id: 1, available: 1 }, 'Estoque insuficiente').cart;
    expect(marked.attemptKey).toBe(c2.attemptKey);
  });

  it('puts the server stock error next to its item, with what is available', () => {
    let c = addProduct(emptyCart(), product(1, 1, 9)).cart;
    c = addProduct(c, product(2, 1, 9), 3).cart;
    const r = applyServerError(c, { error: 'x', product_id: 2, available: 1 }, 'Estoque insuficiente para o produto Produto 2. Disponível: 1');
    expect(r.onItem).toBe(true);
    expect(r.cart.items[1]!.error).toMatch(/disponível 1/);
    expect(r.cart.items[1]!.stock).toBe(1);
    expect(r.cart.items[1]!.quantity).toBe(3); // the cart is kept as it was
    expect(r.cart.items[0]!.error).toBeUndefined();
    expect(applyServerError(c, { error: 'x' }, 'x').onItem).toBe(false);
    expect(applyServerError(c, { product_id: 99 }, 'x').onItem).toBe(false);
  });

  it('sends only product ids and quantities', () => {
    const c = addProduct(emptyCart(), product(3, 9.9, 9), 2).cart;
    expect(saleItems(c)).toEqual([{ product_id: 3, quantity: 2 }]);
  });

  it('reads a quantity prefix like 3*code', () => {
    expect(parseEntry('3*7891000')).toEqual({ quantity: 3, term: '7891000' });
    expect(parseEntry(' 7891000 ')).toEqual({ quantity: 1, term: '7891000' });
    expect(parseEntry('café')).toEqual({ quantity: 1, term: 'café' });
    expect(parseEntry('0*789')).toEqual({ quantity: 1, term: '0*789' });
  });

  it('restores a stored cart and rejects garbage', () => {
    const c = addProduct(emptyCart(), product(1, 1, 9)).cart;
    expect(parseStoredCart(JSON.stringify(c))).toEqual(c);
    expect(parseStoredCart('{')).toBeNull();
    expect(parseStoredCart(null)).toBeNull();
    expect(parseStoredCart(JSON.stringify({ items: [{ product_id: 'x' }], attemptKey: 'k' }))).toBeNull();
  });

  it('takes the price and stock the server has now, and flags what cannot be sold', () => {
    let c = addProduct(emptyCart(), product(1, 10, 5), 3).cart;
    c = refreshProduct(c, 1, product(1, 12.5, 5));
    expect(totalCents(c)).toBe(3750);
    expect(blockingItems(c)).toEqual([]);
    c = refreshProduct(c, 1, product(1, 12.5, 2));
    expect(c.items[0]!.error).toMatch(/disponível 2/);
    expect(c.items[0]!.quantity).toBe(3); // not changed behind the operator's back
    expect(blockingItems(c).map((i) => i.product_id)).toEqual([1]);
    c = setQuantity(c, 1, 2).cart;
    expect(blockingItems(c)).toEqual([]);
    c = refreshProduct(c, 1, null);
    expect(c.items[0]!.error).toMatch(/não está mais à venda/);
    expect(blockingItems(c)).toHaveLength(1);
    const same = addProduct(emptyCart(), product(2, 1, 5)).cart;
    expect(refreshProduct(same, 2, product(2, 1, 5))).toBe(same);
  });

  it('from the empty search box, + and − step the last item (within 1 and the stock) and Delete removes it', () => {
    let c = addProduct(emptyCart(), product(1, 1, 9)).cart;
    c = addProduct(c, product(2, 1, 2)).cart;
    c = lastItemKey(c, '+')!;
    expect(c.items.map((i) => i.quantity)).toEqual([1, 2]);
    c = lastItemKey(c, '+')!;
    expect(c.items[1]).toMatchObject({ quantity: 2, error: 'Estoque insuficiente: disponível 2' });
    c = lastItemKey(c, '-')!;
    c = lastItemKey(c, '-')!;
    expect(c.items[1]!.quantity).toBe(1);
    c = lastItemKey(c, 'Delete')!;
    expect(c.items.map((i) => i.product_id)).toEqual([1]);
    expect(lastItemKey(c, 'a')).toBeNull();
    expect(lastItemKey(emptyCart(), '+')).toBeNull();
  });

  it('discounts per item and per sale change the total and the attempt key, and go in the sale', () => {
    let c = addProduct(emptyCart(), product(1, 25.9, 9), 1).cart;
    c = addProduct(c, product(2, 7.99, 9)).cart;
    const k0 = c.attemptKey;
    c = setItemDiscount(c, 1, { kind: 'percent', bp: 1000 });
    expect(c.attemptKey).not.toBe(k0);
    expect(totalCents(c)).toBe(3130); // 25,90 − 2,59 + 7,99
    c = setSaleDiscount(c, { kind: 'amount', cents: 130 });
    expect(pricedCart(c)).toMatchObject({ subtotal: 3389, discount: 389, total: 3000 });
    expect(saleItems(c)).toEqual([
      { product_id: 1, quantity: 1, discount_percent: '10.00' },
      { product_id: 2, quantity: 1 },
    ]);
    // one more unit keeps the item's discount; the sale's discount stays
    c = addProduct(c, product(1, 25.9, 9)).cart;
    expect(c.items[0]!.discount).toEqual({ kind: 'percent', bp: 1000 });
    expect(c.discount).toEqual({ kind: 'amount', cents: 130 });
    c = setItemDiscount(c, 1, null);
    expect(c.items[0]!.discount).toBeUndefined();
    c = setSaleDiscount(c, null);
    expect(c.discount).toBeUndefined();
    expect(totalCents(c)).toBe(5979);
    // a stored cart with discounts comes back as it was
    const d = setSaleDiscount(setItemDiscount(c, 2, { kind: 'amount', cents: 99 }), { kind: 'percent', bp: 500 });
    expect(parseStoredCart(JSON.stringify(d))).toEqual(d);
    expect(parseStoredCart(JSON.stringify({ ...d, discount: { kind: 'percent', bp: 'x' } }))).toBeNull();
    // the last item out: no sale, no sale discount
    expect(removeItem(removeItem(d, 1), 2).discount).toBeUndefined();
  });
});

describe('the customer of the sale', () => {
  const ana = { id: 3, name: 'Ana Souza', document: '529.982.247-25' };

  it('naming, changing or removing the customer is another sale for the server: a new attempt key', () => {
    const c0 = addProduct(emptyCart(), product(1, 10, 5)).cart;
    const c1 = setCustomer(c0, ana);
    expect(c1.customer).toEqual(ana);
    expect(c1.items).toBe(c0.items);
    expect(c1.attemptKey).not.toBe(c0.attemptKey);
    expect(setCustomer(c1, { ...ana })).toBe(c1); // the same customer again: nothing changes
    const c2 = setCustomer(c1, { id: 4, name: 'Bruno', document: null });
    expect(c2.customer?.id).toBe(4);
    expect(c2.attemptKey).not.toBe(c1.attemptKey);
    const c3 = setCustomer(c2, null);
    expect('customer' in c3).toBe(false);
    expect(c3.attemptKey).not.toBe(c2.attemptKey);
    expect(setCustomer(c3, null)).toBe(c3);
  });

  it('stays through the cart’s changes (items, quantities, discounts, removing the last item) until the cart is emptied', () => {
    let c = setCustomer(addProduct(emptyCart(), product(1, 10, 5)).cart, ana);
    c = addProduct(c, product(2, 5, 5)).cart;
    c = setQuantity(c, 1, 3).cart;
    c = setItemDiscount(c, 1, { kind: 'percent', bp: 1000 });
    c = setSaleDiscount(c, { kind: 'amount', cents: 100 });
    c = removeItem(removeItem(c, 1), 2);
    expect(c.customer).toEqual(ana);
    expect(emptyCart().customer).toBeUndefined();
  });

  it('is kept with the cart in localStorage; a malformed one makes the stored cart unreadable', () => {
    const c = setCustomer(addProduct(emptyCart(), product(1, 10, 5)).cart, ana);
    expect(parseStoredCart(JSON.stringify(c))?.customer).toEqual(ana);
    expect(parseStoredCart(JSON.stringify({ ...c, customer: { id: 'x', name: 'Ana' } }))).toBeNull();
    expect(parseStoredCart(JSON.stringify({ ...c, customer: { id: 3, name: 'Ana', document: 5 } }))).toBeNull();
  });
});

describe('products sold by weight and scale labels', () => {
  const queijo = { ...product(7, 29.9, 2, '123'), name: 'Queijo', unit: 'KG' as const };

  it('reads 0,350*code with the decimal comma', () => {
    expect(parseEntry('0,350*123')).toEqual({ quantity: 0.35, term: '123' });
    expect(parseEntry('1.5 * 123')).toEqual({ quantity: 1.5, term: '123' });
    expect(parseEntry('3*789')).toEqual({ quantity: 3, term: '789' });
  });

  it('adds weights exactly and prices them half up to the cent', () => {
    let { cart } = addProduct(emptyCart(), queijo, 0.2);
    cart = addProduct(cart, queijo, 0.155).cart;
    expect(cart.items[0]!.quantity).toBe(0.355);
    // 0,355 kg × R$ 29,90 = R$ 10,6145
    expect(totalCents(cart)).toBe(1061);
    expect(saleItems(cart)).toEqual([{ product_id: 7, quantity: 0.355 }]);
    // Beyond the stock (2 kg) is refused; a fraction of a product sold by unit too.
    expect(addProduct(cart, queijo, 1.7).error).toMatch(/disponível 2,000 kg/);
    expect(addProduct(emptyCart(), product(1, 5, 10), 0.5).error).toMatch(/vendido por unidade/);
  });

  it('a price label costs what it says; labels are sent as {label} and the rest as a quantity', () => {
    let { cart } = addProduct(emptyCart(), queijo, 0.355, { code: '2001230003555', quantity: 0.355, amount_cents: null });
    cart = addProduct(cart, queijo, 0.413, { code: '2012300012346', quantity: 0.413, amount_cents: 1234 }).cart;
    cart = addProduct(cart, queijo, 0.1).cart;
    // weight label 0,355 and 0,100 typed at R$ 29,90 (0,455 kg = R$ 13,6045), plus the price label's R$ 12,34
    expect(totalCents(cart)).toBe(1360 + 1234);
    expect(itemCount(cart)).toBe(1);
    expect(saleItems(cart)).toEqual([
      { label: '2001230003555' },
      { label: '2012300012346' },
      { product_id: 7, quantity: 0.1 },
    ]);
  });

  it('a discounted line sends its weight labels as quantity (one request line per product)', () => {
    let { cart } = addProduct(emptyCart(), queijo, 0.355, { code: '2001230003555', quantity: 0.355, amount_cents: null });
    cart = addProduct(cart, queijo, 0.2, { code: '2001230002008', quantity: 0.2, amount_cents: null }).cart;
    cart = setItemDiscount(cart, 7, { kind: 'percent', bp: 1000 });
    expect(saleItems(cart)).toEqual([{ product_id: 7, quantity: 0.555, discount_percent: '10.00' }]);
  });

  it('quantities typed for a weighed line keep three decimals; a stored cart with them is read back', () => {
    const { cart } = addProduct(emptyCart(), queijo, 1);
    const set = setQuantity(cart, 7, 0.75).cart;
    expect(set.items[0]!.quantity).toBe(0.75);
    expect(setQuantity(cart, 7, 0.0001).cart).toBe(cart);
    expect(parseStoredCart(JSON.stringify(set))?.items[0]!.quantity).toBe(0.75);
  });
});
