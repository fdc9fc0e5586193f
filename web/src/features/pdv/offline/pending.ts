// A sale made while the server could not be reached, as the outbox keeps it, and as the PDV
// shows it (the last sale, its receipt) before the server has given it a number.
import type { Sale, Store, User } from '../../../api/types';
import { type Cart, pricedCart } from '../cart';
import { changeOf, type PaymentLine } from '../payments';
import { offlineSaleBody } from '../saleBody';
import type { PendingSale } from './outbox';

/** `store`: where it was sold, when the PDV asks (the seller works in several); the sale keeps it
 * and is sent with it. */
export function pendingSale(
  cart: Cart,
  lines: readonly PaymentLine[],
  seller: Pick<User, 'id' | 'username'>,
  cashSessionId: number | undefined,
  madeAt: Date,
  store?: Pick<Store, 'id' | 'name'>,
): PendingSale {
  const soldAt = madeAt.toISOString();
  return {
    client_id: cart.attemptKey,
    made_at: soldAt,
    seller: { id: seller.id, username: seller.username },
    ...(store ? { store: { id: store.id, name: store.name } } : {}),
    body: offlineSaleBody(cart, lines, { soldAt, sellerId: seller.id, cashSessionId, storeId: store?.id }),
    cart,
    lines: [...lines],
  };
}

const reais = (cents: number) => cents / 100;

/** The sale as the receipt and the PDV show one, without a number (id 0) until the server gives it. */
export function receiptSale(p: PendingSale): Sale {
  const priced = pricedCart(p.cart);
  return {
    id: 0,
    user_id: p.seller.id,
    user_username: p.seller.username,
    timestamp: p.made_at,
    status: 'concluida',
    items: p.cart.items.map((i, n) => {
      const line = priced.lines[n]!;
      return {
        id: n + 1,
        sale_id: 0,
        product_id: i.product_id,
        product_name: i.name,
        quantity: i.quantity,
        unit: i.unit ?? 'UN',
        price_at_sale: reais(i.unit_cents),
        subtotal: reais(line.gross),
        discount_amount: reais(line.discount),
        total_amount: reais(line.net),
        returned_quantity: 0,
      };
    }),
    subtotal_amount: reais(priced.subtotal),
    discount_amount: reais(priced.discount),
    total_amount: reais(priced.total),
    payments: p.lines.map((l) => ({ method: l.method, amount: reais(l.amount), tendered: l.tendered === undefined ? null : reais(l.tendered) })),
    change: reais(changeOf(p.lines)),
    refunded_amount: 0,
    returns: [],
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    discount_approved_by: null,
    cash_session_id: p.body.cash_session_id ?? null,
    payment_method: null,
    customer: p.cart.customer ?? null,
    client_id: p.client_id,
    received_at: p.made_at, // until the server says
    review_reasons: [],
    reviewed_at: null,
    reviewed_by: null,
    // With one store the PDV does not know its name, and the receipt does not print it.
    store_id: p.store?.id ?? 0,
    store_name: p.store?.name ?? '',
  };
}
