import { request } from './client';
import type { Message, Product, ProductPage } from './types';

export interface ProductFilters {
  page?: number;
  per_page?: number;
  search?: string;
  category_id?: number | '';
  code?: string;
  low_stock?: boolean;
}

export const listProducts = (f: ProductFilters, signal?: AbortSignal) =>
  request<ProductPage>('/api/products', {
    query: { ...f, low_stock: f.low_stock ? 'true' : undefined },
    signal,
  });

/** Exact match on the barcode/SKU (what a scanner reads). */
export async function findByCode(code: string): Promise<Product | null> {
  const page = await request<ProductPage>('/api/products', { query: { code, per_page: 1 } });
  const p = page.products[0];
  return p && p.code === code ? p : null;
}

/** Body of POST/PUT: money as a "12.50" string, parsed exactly by the server. */
export interface ProductInput {
  name: string;
  description: string;
  price: string;
  category_id: number;
  code: string | null;
  min_stock: number;
  stock?: number;
}

export const createProduct = (body: ProductInput) =>
  request<Product>('/api/products', { method: 'POST', body });

export const updateProduct = (id: number, body: Partial<ProductInput>) =>
  request<Product>(`/api/products/${id}`, { method: 'PUT', body });

export const deleteProduct = (id: number) =>
  request<Message>(`/api/products/${id}`, { method: 'DELETE' });

export const setStock = (id: number, change: { stock: number } | { adjustment: number }) =>
  request<Product>(`/api/products/${id}/stock`, { method: 'PUT', body: change });
