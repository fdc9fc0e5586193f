// The PDV cart as plain data and pure functions: exact integer cents, stock limits enforced
// before anything is sent, the customer of the sale, and an idempotency key per attempt (a new
// one whenever the cart changes, so a retry of the same cart can never sell twice).
import type { CatalogProduct, ErrorBody, Product, SaleCustomer, Unit } from '../../api/types';
import { centsToApi, toCents } from '../../lib/money';
import { formatQuantity, fromMilli, isFractional, toMilli } from '../../lib/quantity';
import { uuid } from '../../lib/uuid';
import { type Discount, discountBody, lineGross, type Priced, price } from './pricing';

export interface CartItem {
  product_id: number;
  name: string;
  code: string | null;
  unit_cents: number;
  /** stock known when added (or `available` from the server's last answer) */
  stock: number;
  /** in the product's unit: whole, or up to three decimals in KG, L and M (0.355) */
  quantity: number;
  /** the product's unit (absent in carts saved before units existed: UN) */
  unit?: Unit;
  /** scale labels read into this line (sent as `{label}`; the server reads them again) */
  labels?: ScaleLabelLine[];
  /** the line's own discount (on price × quantity) */
  discount?: Discount;
  error?: string;
}

/** A scale label in the cart: its quantity, and for price labels what it costs. */
export interface ScaleLabelLine {
  code: string;
  /** in the product's unit */
  quantity: number;
  /** price labels: the label's price (the line costs it, not price × quantity) */
  amount_cents: number | null;
}

export interface Cart {
  items: CartItem[];
  /** the sale's discount (on what the lines cost after theirs) */
  discount?: Discount;
  /** who is buying (sent as `customer_id`; printed on the receipt) */
  customer?: SaleCustomer;
  attemptKey: string;
}

export interface CartResult {
  cart: Cart;
  /** why the change was refused or capped (shown next to the item) */
  error?: string;
}

export const MAX_QUANTITY = 99_999;

export function emptyCart(): Cart {
  return { items: [], attemptKey: uuid() };
}

export const subtotalCents = (item: CartItem): number => lineGross(item);

/** Subtotal, discounts and total as the server will price them (pricing.ts). */
export const pricedCart = (cart: Cart): Priced => price(cart.items, cart.discount);

/** What the customer pays: after every discount. */
export const totalCents = (cart: Cart): number => pricedCart(cart).total;

/** Units of whole-unit products, and one per line sold by weight or measure. */
export const itemCount = (cart: Cart): number => cart.items.reduce((n, i) => n + (isFractional(i.unit) ? 1 : i.quantity), 0);

export const stockMessage = (available: number, unit?: Unit): string =>
  available <= 0 ? 'Sem estoque' : `Estoque insuficiente: disponível ${unit && unit !== 'UN' ? formatQuantity(available, unit) : available}`;

/** Adds two quantities exactly (to the thousandth). */
const plus = (a: number, b: number): number => fromMilli(toMilli(a) + toMilli(b));

/** A cart whose sale is a different one: a new attempt key (the sale's discount and customer kept). */
function changed(cart: Cart, items: CartItem[], discount: Discount | null = cart.discount ?? null): Cart {
  const next: Cart = { items, attemptKey: uuid() };
  if (discount) next.discount = discount;
  if (cart.customer) next.customer = cart.customer;
  return next;
}

/**
 * Names (or, with null, removes) the customer of the sale. Another customer is another sale for
 * the server (the customer is part of what an Idempotency-Key stands for): a new attempt key.
 */
export function setCustomer(cart: Cart, customer: SaleCustomer | null): Cart {
  if ((cart.customer?.id ?? null) === (customer?.id ?? null)) return cart;
  const { customer: _old, ...rest } = cart;
  const next: Cart = { ...rest, attemptKey: uuid() };
  if (customer) next.customer = { id: customer.id, name: customer.name, document: customer.document };
  return next;
}

/** Sets or clears (null) the discount of an item. */
export function setItemDiscount(cart: Cart, productId: number, discount: Discount | null): Cart {
  const item = cart.items.find((i) => i.product_id === productId);
  if (!item) return cart;
  const { discount: _old, ...rest } = item;
  return changed(cart, cart.items.map((i) => (i === item ? (discount ? { ...rest, discount } : rest) : i)));
}

/** Sets or clears (null) the discount of the whole sale. */
export function setSaleDiscount(cart: Cart, discount: Discount | null): Cart {
  return changed(cart, cart.items, discount);
}

/**
 * Adds `quantity` of a product (or more of it if already there), never beyond its stock. A
 * scale label (`label`) adds its quantity and, for a price label, its price.
 */
export function addProduct(cart: Cart, product: CatalogProduct, quantity = 1, label?: ScaleLabelLine): CartResult {
  const existing = cart.items.find((i) => i.product_id === product.id);
  const stock = product.stock;
  if (!isFractional(product.unit) && !Number.isInteger(quantity)) {
    return { cart, error: `${product.name} é vendido por unidade (${product.unit}): a quantidade deve ser inteira.` };
  }
  const wanted = plus(existing?.quantity ?? 0, quantity);
  if (toMilli(wanted) > toMilli(stock)) {
    const error = stockMessage(stock, product.unit);
    if (!existing) return { cart, error: `${product.name}: ${error}` };
    const items = cart.items.map((i) => (i === existing ? { ...i, stock, error } : i));
    return { cart: { ...cart, items }, error: `${product.name}: ${error}` };
  }
  const item: CartItem = {
    product_id: product.id,
    name: product.name,
    code: product.code ?? null,
    unit_cents: toCents(product.price),
    stock,
    quantity: wanted,
    unit: product.unit,
  };
  const labels = [...(existing?.labels ?? []), ...(label ? [label] : [])];
  if (labels.length > 0) item.labels = labels;
  if (existing?.discount) item.discount = existing.discount;
  const items = existing
    ? cart.items.map((i) => (i === existing ? item : i))
    : [...cart.items, item];
  return { cart: changed(cart, items) };
}

/**
 * Sets the quantity typed or stepped; below 1 (below 0,001 in KG, L and M) is refused (use
 * remove), above stock is capped. A line with scale labels keeps the labels' quantity.
 */
export function setQuantity(cart: Cart, productId: number, quantity: number): CartResult {
  const item = cart.items.find((i) => i.product_id === productId);
  const fractional = isFractional(item?.unit);
  const least = fractional ? 0.001 : 1;
  if (!item || !Number.isFinite(quantity) || (!fractional && !Number.isInteger(quantity)) || toMilli(quantity) < toMilli(least)) return { cart };
  if (item.labels?.length) return { cart };
  let q = fractional ? fromMilli(Math.min(toMilli(quantity), MAX_QUANTITY * 1000)) : Math.min(quantity, MAX_QUANTITY);
  let error: string | undefined;
  if (toMilli(q) > toMilli(item.stock)) {
    error = stockMessage(item.stock, item.unit);
    q = item.stock;
  }
  if (toMilli(q) < toMilli(least)) return { cart: markItem(cart, productId, error), error };
  const items = cart.items.map((i) =>
    i.product_id === productId ? { ...i, quantity: q, error } : i,
  );
  return { cart: q === item.quantity && !error ? cart : changed(cart, items), error };
}

export function removeItem(cart: Cart, productId: number): Cart {
  const items = cart.items.filter((i) => i.product_id !== productId);
  return changed(cart, items, items.length > 0 ? (cart.discount ?? null) : null);
}

/**
 * The keys that work on the last item from the empty search box, so the operator never needs
 * the mouse: + and − step its quantity (not below 1, not beyond the stock), Delete removes it.
 * Null when `key` is none of these or the cart is empty.
 */
export function lastItemKey(cart: Cart, key: string): Cart | null {
  const last = cart.items.at(-1);
  if (!last || !['+', '-', 'Delete'].includes(key)) return null;
  if (key === 'Delete') return removeItem(cart, last.product_id);
  if (key === '-') return last.quantity > 1 ? setQuantity(cart, last.product_id, last.quantity - 1).cart : cart;
  return setQuantity(cart, last.product_id, last.quantity + 1).cart;
}

function markItem(cart: Cart, productId: number, error: string | undefined, stock?: number): Cart {
  return {
    ...cart,
    items: cart.items.map((i) =>
      i.product_id === productId ? { ...i, error, stock: stock ?? i.stock } : i,
    ),
  };
}

/**
 * Puts a sale error from the server next to the item it is about (400 insufficient stock
 * carries `product_id` and `available`; 404 carries `product_id`). Returns false when the
 * error is not about an item of this cart.
 */
export function applyServerError(cart: Cart, body: Partial<ErrorBody>, message: string): { cart: Cart; onItem: boolean } {
  const id = body.product_id;
  if (typeof id !== 'number' || !cart.items.some((i) => i.product_id === id)) {
    return { cart, onItem: false };
  }
  const available = typeof body.available === 'number' ? body.available : undefined;
  const unit = cart.items.find((i) => i.product_id === id)?.unit;
  // The full server message goes to the banner; next to the item, what to do about it.
  const text = available !== undefined ? stockMessage(available, unit) : message;
  return { cart: markItem(cart, id, text, available), onItem: true };
}

export function clearErrors(cart: Cart): Cart {
  return cart.items.some((i) => i.error)
    ? { ...cart, items: cart.items.map(({ error: _e, ...i }) => i) }
    : cart;
}

/**
 * The items of POST /api/sales (the server prices them; a live sale sends no prices): scale labels
 * as `{label}` (the server reads their weight or price again), the rest as product and quantity.
 * The line's discount goes with its first item. A discounted line with a price label and
 * more is refused by the server with its message ("…junte as linhas").
 */
export const saleItems = (cart: Cart) => cart.items.flatMap(itemLines);

/** The items of a sale made offline: each with the price per unit the terminal showed. */
export const offlineSaleItems = (cart: Cart) =>
  cart.items.flatMap((i) => itemLines(i).map((line) => ({ ...line, unit_price: centsToApi(i.unit_cents) })));

function itemLines(i: CartItem) {
  // A product may be in several request lines only without a discount (the server refuses
  // it otherwise): a discounted line sends its weight labels as quantity, which the server
  // prices the same (weight × price per unit).
  const labels = (i.labels ?? []).filter((l) => !i.discount || l.amount_cents !== null);
  const rest = toMilli(i.quantity) - labels.reduce((a, l) => a + toMilli(l.quantity), 0);
  const items: ({ product_id: number; quantity: number } | { label: string })[] = labels.map((l) => ({ label: l.code }));
  if (rest > 0 || labels.length === 0) items.push({ product_id: i.product_id, quantity: fromMilli(rest) });
  return items.map((item, n) => (n === 0 ? { ...item, ...discountBody(i.discount) } : item));
}

/** A cart taken from localStorage, if it looks like one. */
export function parseStoredCart(text: string | null): Cart | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as Cart;
    if (!Array.isArray(c.items) || typeof c.attemptKey !== 'string') return null;
    const ok = c.items.every(
      (i) =>
        Number.isInteger(i.product_id) &&
        Number.isInteger(i.unit_cents) &&
        (isFractional(i.unit) ? Number.isFinite(i.quantity) && Number.isFinite(i.stock) : Number.isInteger(i.quantity) && Number.isInteger(i.stock)) &&
        (i.labels === undefined || Array.isArray(i.labels)) &&
        typeof i.name === 'string' &&
        validDiscount(i.discount),
    );
    return ok && validDiscount(c.discount) && validCustomer(c.customer) ? c : null;
  } catch {
    return null;
  }
}

function validCustomer(c: unknown): boolean {
  if (c === undefined) return true;
  const x = c as Partial<SaleCustomer>;
  return Number.isInteger(x.id) && typeof x.name === 'string' && (x.document === null || typeof x.document === 'string');
}

function validDiscount(d: unknown): boolean {
  if (d === undefined) return true;
  const x = d as Partial<{ kind: string; bp: number; cents: number }>;
  return (x.kind === 'percent' && Number.isInteger(x.bp)) || (x.kind === 'amount' && Number.isInteger(x.cents));
}

/**
 * What the scanner or the person typed: "7891000100103", "3*7891000100103" (three of them),
 * "0,350*123" (0,350 kg of a product sold by weight), or a name. Quantity prefix as in most
 * PDVs; the comma (or a dot) for decimals, up to three.
 */
export function parseEntry(text: string): { quantity: number; term: string } {
  const t = text.trim();
  const m = /^(\d{1,5}(?:[.,]\d{1,3})?)\s*\*\s*(\S.*)$/.exec(t);
  if (m) {
    const q = fromMilli(toMilli(Number(m[1]!.replace(',', '.'))));
    if (q > 0) return { quantity: q, term: m[2]!.trim() };
  }
  return { quantity: 1, term: t };
}

/**
 * What the server says about an item now (price and stock may have changed since the PDV
 * loaded its catalog). A product no longer for sale, or with less stock than the cart holds,
 * gets an error next to it; nothing is removed without the operator seeing it.
 */
export function refreshProduct(cart: Cart, productId: number, product: Pick<Product, 'name' | 'price' | 'stock' | 'unit'> | null): Cart {
  const item = cart.items.find((i) => i.product_id === productId);
  if (!item) return cart;
  let next: CartItem;
  if (!product) {
    next = { ...item, error: 'Este produto não está mais à venda.' };
  } else {
    const unit = toCents(product.price);
    const error = toMilli(item.quantity) > toMilli(product.stock) ? stockMessage(product.stock, product.unit) : undefined;
    if (unit === item.unit_cents && product.stock === item.stock && error === item.error) return cart;
    next = { ...item, name: product.name, unit_cents: unit, stock: product.stock, error };
  }
  return { ...cart, items: cart.items.map((i) => (i === item ? next : i)) };
}

/** Items that cannot be sold as they are (shown next to each; the sale is not sent). */
export function blockingItems(cart: Cart): CartItem[] {
  return cart.items.filter((i) => toMilli(i.quantity) > toMilli(i.stock) || i.error === 'Este produto não está mais à venda.');
}
