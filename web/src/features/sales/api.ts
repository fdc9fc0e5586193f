// Sales: the HTTP calls, their query keys and what a sale makes stale.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { download, request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { NewSale, OfflineSale, PaymentMethod, Sale, SalePage, SaleQuery } from '../../api/types';

/** GET /api/sales query parameters; `user_id: ''` is "every seller". */
export type SaleFilters = Omit<SaleQuery, 'user_id'> & { user_id?: number | '' };

export const listSales = (f: SaleFilters) => request<SalePage>('/api/sales', { query: { ...f } });
export const getSale = (id: number) => request<Sale>(`/api/sales/${id}`);

/** The same key (or the same `client_id`) sent twice makes the server return the sale it already
 * made. A sale made offline goes with its `client_id` alone: its body is not the one a lost live
 * attempt had under the same key. */
export const createSale = (sale: NewSale | OfflineSale, idempotencyKey?: string, signal?: AbortSignal) =>
  request<Sale>('/api/sales', {
    method: 'POST',
    body: sale,
    headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
    signal,
  });

/** Cancels a sale (administrators): out of every total, its stock back. */
export const cancelSale = (id: number, reason: string) =>
  request<Sale>(`/api/sales/${id}/cancel`, { method: 'POST', body: { reason } });

export interface SaleReturnInput {
  items: { sale_item_id: number; quantity: number }[];
  reason: string;
  refund_method: PaymentMethod;
}

/** Items of a sale coming back; answers the sale with the return. */
export const returnSale = (id: number, body: SaleReturnInput) =>
  request<Sale>(`/api/sales/${id}/returns`, { method: 'POST', body });

/** Sends the receipt to the network thermal printer of the settings (204). */
export const printSale = (id: number) => request<void>(`/api/sales/${id}/print`, { method: 'POST' });

/** Every filtered sale, streamed: CSV (`;`, decimal comma, BOM: opens in Excel pt-BR; the
 * default, so no `format` is sent) or XLSX (numbers as numbers, dates as dates). */
export const exportSales = (f: Omit<SaleFilters, 'page' | 'per_page'>, fallbackName: string, format?: 'xlsx') =>
  download('/api/sales/export', { ...f, format }, fallbackName);

export const saleKeys = {
  all: rootKeys.sales,
  list: (f: SaleFilters) => [...rootKeys.sales, 'list', f] as const,
  detail: (id: number | null) => [...rootKeys.sales, 'detail', id] as const,
};

export const saleQueries = {
  list: (f: SaleFilters) => queryOptions({ queryKey: saleKeys.list(f), queryFn: () => listSales(f), staleTime: 0 }),
  detail: (id: number | null) =>
    queryOptions({ queryKey: saleKeys.detail(id), queryFn: () => getSale(id!), enabled: id !== null }),
};

/** A sale takes stock (product lists, the PDV's search), adds to the sales, to the dashboard's
 * totals, to what the seller's cash session expects, to its customer's purchases, to the
 * reports and, when it arrived from an offline terminal, to what the administrator reviews. */
export const SALE_STALES = [rootKeys.products, rootKeys.sales, rootKeys.summary, rootKeys.cash, rootKeys.customers, rootKeys.reports, rootKeys.review] as const;

/** A cancellation or a return puts stock back and takes from the same totals (a customer's
 * total spent is net of both). */
export const SALE_UNDO_STALES = SALE_STALES;

/**
 * Sends a sale. The lists it makes stale refresh in the background: the PDV shows the sale's
 * number at once.
 */
export function useCreateSale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ sale, idempotencyKey, signal }: { sale: NewSale; idempotencyKey: string; signal?: AbortSignal }) => createSale(sale, idempotencyKey, signal),
    onSuccess: () => void invalidate(qc, SALE_STALES),
  });
}

export function useCancelSale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => cancelSale(id, reason),
    onSuccess: () => void invalidate(qc, SALE_UNDO_STALES),
  });
}

export function useReturnSale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number } & SaleReturnInput) => returnSale(id, body),
    onSuccess: () => void invalidate(qc, SALE_UNDO_STALES),
  });
}

/** Printing changes nothing the UI caches. */
export function usePrintSale() {
  return useMutation({ mutationFn: printSale });
}
