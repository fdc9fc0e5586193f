// The body of POST /api/sales, live (the server prices the products as they are now) and as a
// sale made offline is sent later (when, by whom, in which cash session and at the prices the
// terminal showed). Both name the store when the seller works in several (the PDV's "Loja").
import type { NewSale, OfflineSale } from '../../api/types';
import { type Cart, offlineSaleItems, saleItems } from './cart';
import type { Approval } from './discountLimit';
import { type PaymentLine, paymentsBody } from './payments';
import { discountBody } from './pricing';

/** The live sale: the cart's attempt key is its `client_id` too, so that if the answer is lost
 * and the sale goes to the outbox, the server recognises it when it arrives again. */
export function saleBody(cart: Cart, lines: readonly PaymentLine[], approval?: Approval, storeId?: number): NewSale {
  return {
    items: saleItems(cart),
    ...discountBody(cart.discount),
    ...(lines.length > 0 ? { payments: paymentsBody(lines) } : {}),
    ...(approval ? { discount_approval: approval } : {}),
    ...(cart.customer ? { customer_id: cart.customer.id } : {}),
    client_id: cart.attemptKey,
    ...(storeId !== undefined ? { store_id: storeId } : {}),
  };
}

export interface OfflineContext {
  /** when the sale was made, RFC 3339 */
  soldAt: string;
  sellerId: number;
  /** the seller's cash session open at the terminal, if any */
  cashSessionId?: number;
  /** the store it was sold in, when the PDV asks (the seller works in several) */
  storeId?: number;
}

export function offlineSaleBody(cart: Cart, lines: readonly PaymentLine[], ctx: OfflineContext): OfflineSale {
  return {
    ...saleBody(cart, lines, undefined, ctx.storeId),
    items: offlineSaleItems(cart),
    client_id: cart.attemptKey,
    sold_at: ctx.soldAt,
    user_id: ctx.sellerId,
    ...(ctx.cashSessionId !== undefined ? { cash_session_id: ctx.cashSessionId } : {}),
  };
}
