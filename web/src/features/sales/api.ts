// Sales: the HTTP calls, their query keys and what a sale makes stale.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { download, request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { NewSale, Sale, SalePage, SaleQuery } from '../../api/types';

/** GET /api/sales query parameters; `user_id: ''` is "every seller". */
export type SaleFilters = Omit<SaleQuery, 'user_id'> & { user_id?: number | '' };

export const listSales = (f: SaleFilters) => request<SalePage>('/api/sales', { query: { ...f } });
export const getSale = (id: number) => request<Sale>(`/api/sales/${id}`);

/** The same key sent twice makes the server return the sale it already made. */
export const createSale = (sale: NewSale, idempotencyKey: string) =>
  request<Sale>('/api/sales', {
    method: 'POST',
    body: sale,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

/** CSV of the filtered sales (`;`, decimal comma, BOM: opens in Excel pt-BR). */
export const exportSales = (f: Omit<SaleFilters, 'page' | 'per_page'>, fallbackName: string) =>
  download('/api/sales/export', { ...f }, fallbackName);

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

/** A sale takes stock (product lists, the PDV's search), adds to the sales and to the dashboard's totals. */
export const SALE_STALES = [rootKeys.products, rootKeys.sales, rootKeys.summary] as const;

/**
 * Sends a sale. The lists it makes stale refresh in the background: the PDV shows the sale's
 * number at once.
 */
export function useCreateSale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ sale, idempotencyKey }: { sale: NewSale; idempotencyKey: string }) => createSale(sale, idempotencyKey),
    onSuccess: () => void invalidate(qc, SALE_STALES),
  });
}
