// The stock ledger: entries of goods, adjustments, counts (admin), and a product's movements.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { MovementPage, Product, StockChanged } from '../../api/types';

export interface EntryInput {
  product_id: number;
  quantity: number;
  unit_cost: string;
  supplier?: string;
  invoice?: string;
}
export interface AdjustmentInput {
  product_id: number;
  quantity: number;
  reason: string;
}
export interface CountInput {
  product_id: number;
  counted: number;
  reason?: string;
}

export const postEntry = (body: EntryInput) => request<StockChanged>('/api/stock/entries', { method: 'POST', body });
export const postAdjustment = (body: AdjustmentInput) => request<StockChanged>('/api/stock/adjustments', { method: 'POST', body });
export const postCount = (body: CountInput) => request<StockChanged>('/api/stock/counts', { method: 'POST', body });

export const getProduct = (id: number) => request<Product>(`/api/products/${id}`);
export const listMovements = (id: number, page: number) =>
  request<MovementPage>(`/api/products/${id}/movements`, { query: { page, per_page: 50 } });

/** Under `products`: a stock change refreshes the product lists and the ledgers together. */
export const stockKeys = {
  product: (id: number) => [...rootKeys.products, 'one', id] as const,
  movements: (id: number, page: number) => [...rootKeys.products, 'movements', id, page] as const,
};

export const stockQueries = {
  product: (id: number) => queryOptions({ queryKey: stockKeys.product(id), queryFn: () => getProduct(id) }),
  movements: (id: number, page: number) => queryOptions({ queryKey: stockKeys.movements(id, page), queryFn: () => listMovements(id, page) }),
};

/** Stock changed: product lists, low-stock flags, ledgers. */
export const STOCK_STALES = [rootKeys.products] as const;

export function useStockCommand<T>(fn: (body: T) => Promise<StockChanged>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void invalidate(qc, STOCK_STALES) });
}
