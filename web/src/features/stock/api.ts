// The stock ledger: entries of goods, adjustments, counts (admin), a product's movements, and the
// transfers between stores: sent by an administrator (the units leave the origin at once),
// received at the destination (by an administrator or one of its employees) or cancelled (the
// units go back).
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { MovementPage, Product, StockChanged, Transfer, TransferBody, TransferPage, TransferStatus } from '../../api/types';

/** `store_id` only when the shop has several stores (with one, the server takes it). */
export interface EntryInput {
  product_id: number;
  store_id?: number;
  quantity: number;
  unit_cost: string;
  supplier?: string;
  invoice?: string;
}
export interface AdjustmentInput {
  product_id: number;
  store_id?: number;
  quantity: number;
  reason: string;
}
export interface CountInput {
  product_id: number;
  store_id?: number;
  counted: number;
  reason?: string;
}

export const postEntry = (body: EntryInput) => request<StockChanged>('/api/stock/entries', { method: 'POST', body });
export const postAdjustment = (body: AdjustmentInput) => request<StockChanged>('/api/stock/adjustments', { method: 'POST', body });
export const postCount = (body: CountInput) => request<StockChanged>('/api/stock/counts', { method: 'POST', body });

/** With `storeId`, `stock` is that store's; without, the total of all stores. */
export const getProduct = (id: number, storeId?: number) => request<Product>(`/api/products/${id}`, { query: { store_id: storeId } });
export const listMovements = (id: number, page: number, storeId?: number) =>
  request<MovementPage>(`/api/products/${id}/movements`, { query: { page, per_page: 50, store_id: storeId } });

/** Under `products`: a stock change refreshes the product lists and the ledgers together. */
export const stockKeys = {
  product: (id: number, storeId?: number) => [...rootKeys.products, 'one', id, storeId ?? null] as const,
  movements: (id: number, page: number, storeId?: number) => [...rootKeys.products, 'movements', id, page, storeId ?? null] as const,
};

export const stockQueries = {
  product: (id: number, storeId?: number) => queryOptions({ queryKey: stockKeys.product(id, storeId), queryFn: () => getProduct(id, storeId) }),
  movements: (id: number, page: number, storeId?: number) =>
    queryOptions({ queryKey: stockKeys.movements(id, page, storeId), queryFn: () => listMovements(id, page, storeId) }),
};

/** Stock changed: product lists, low-stock flags, ledgers. */
export const STOCK_STALES = [rootKeys.products] as const;

export function useStockCommand<T>(fn: (body: T) => Promise<StockChanged>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void invalidate(qc, STOCK_STALES) });
}

export interface TransferFilters {
  status?: TransferStatus | undefined;
  store_id?: number | undefined;
  page?: number;
  per_page?: number;
}

export const listTransfers = (f: TransferFilters) => request<TransferPage>('/api/stock/transfers', { query: { ...f } });
export const sendTransfer = (body: TransferBody) => request<Transfer>('/api/stock/transfers', { method: 'POST', body });
export const receiveTransfer = (id: number) => request<Transfer>(`/api/stock/transfers/${id}/receive`, { method: 'POST' });
export const cancelTransfer = (id: number) => request<Transfer>(`/api/stock/transfers/${id}/cancel`, { method: 'POST' });

export const transferKeys = {
  list: (f: TransferFilters) => [...rootKeys.transfers, 'list', f] as const,
};

export const transferQueries = {
  list: (f: TransferFilters) => queryOptions({ queryKey: transferKeys.list(f), queryFn: () => listTransfers(f), placeholderData: keepPreviousData }),
  /** Whether there is any transfer the user may see (the menu shows the page then). */
  any: () => queryOptions({ queryKey: transferKeys.list({ per_page: 1 }), queryFn: () => listTransfers({ per_page: 1 }), staleTime: 60_000 }),
};

/** A transfer sent, received or cancelled: the transfers, and every stock shown. */
export const TRANSFER_STALES = [rootKeys.transfers, rootKeys.products] as const;

export function useTransferAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      v: { kind: 'send'; body: TransferBody } | { kind: 'receive'; id: number } | { kind: 'cancel'; id: number },
    ) => (v.kind === 'send' ? sendTransfer(v.body) : v.kind === 'receive' ? receiveTransfer(v.id) : cancelTransfer(v.id)),
    onSuccess: () => void invalidate(qc, TRANSFER_STALES),
  });
}
