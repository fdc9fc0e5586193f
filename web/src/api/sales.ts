import { download, request } from './client';
import type { PaymentMethod, Sale, SalePage, Summary } from './types';

export interface SaleFilters {
  page?: number;
  per_page?: number;
  start_date?: string;
  end_date?: string;
  user_id?: number | '';
}

export const listSales = (f: SaleFilters) => request<SalePage>('/api/sales', { query: { ...f } });
export const getSale = (id: number) => request<Sale>(`/api/sales/${id}`);
export const summary = () => request<Summary>('/api/sales/reports/summary');

export interface NewSale {
  items: { product_id: number; quantity: number }[];
  payment_method: PaymentMethod;
}

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

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  dinheiro: 'Dinheiro',
  debito: 'Cartão de débito',
  credito: 'Cartão de crédito',
  pix: 'Pix',
  outro: 'Outro',
};
