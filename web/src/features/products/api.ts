// Products: the HTTP calls, their query keys and what a change makes stale.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, download, request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { ImportSummary, Lookup, Message, Product, ProductChanges, ProductInput, ProductPage, ProductQuery, StockChange } from '../../api/types';

/** GET /api/products query parameters; `category_id: ''` is "every category". */
export type ProductFilters = Omit<ProductQuery, 'category_id'> & { category_id?: number | '' };

/** The filters as query parameters (`low_stock` only when asked for). */
const filterQuery = (f: ProductFilters) => ({ ...f, low_stock: f.low_stock ? 'true' : undefined });

export const listProducts = (f: ProductFilters, signal?: AbortSignal) =>
  request<ProductPage>('/api/products', { query: filterQuery(f), signal });

/** The catalog as CSV for Excel pt-BR (`;`, decimal comma, BOM), with the list's filters: with
 * `low_stock` it is the shop's restocking list. Its columns are what an import reads. */
export const exportProducts = (f: Omit<ProductFilters, 'page' | 'per_page'>, fallbackName: string) =>
  download('/api/products/export', filterQuery(f), fallbackName);

/** The largest file the server reads (POST /api/products/import answers 413 above it). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Sends a CSV file as it is, all or nothing: a refusal is a 400 whose `body.errors` lists every
 * problem with its line and column. The type is set here: browsers name a .csv file
 * `application/vnd.ms-excel` where Excel is installed, or nothing at all. */
export const importProducts = (file: Blob) =>
  request<ImportSummary>('/api/products/import', { method: 'POST', body: new Blob([file], { type: 'text/csv' }) });

/** Exact match on the barcode/SKU (what a scanner reads). */
export async function findByCode(code: string): Promise<Product | null> {
  const page = await request<ProductPage>('/api/products', { query: { code, per_page: 1 } });
  const p = page.products[0];
  return p && p.code === code ? p : null;
}

/**
 * GET /api/products/lookup: what a scanned code is (barcode, internal code or scale label).
 * Null for 404 "Nenhum produto com o código X" when `quietMissing`; other refusals (a label of
 * no product, a wrong check digit) throw with the server's message.
 */
export async function lookupCode(code: string, { quietMissing = false, storeId }: { quietMissing?: boolean; storeId?: number | undefined } = {}): Promise<Lookup | null> {
  try {
    return await request<Lookup>('/api/products/lookup', { query: { code, store_id: storeId } });
  } catch (e) {
    if (quietMissing && e instanceof ApiError && e.status === 404 && e.message.startsWith('Nenhum produto')) return null;
    throw e;
  }
}

export const createProduct = (body: ProductInput) =>
  request<Product>('/api/products', { method: 'POST', body });

export const updateProduct = (id: number, body: ProductChanges) =>
  request<Product>(`/api/products/${id}`, { method: 'PUT', body });

export const deleteProduct = (id: number) =>
  request<Message>(`/api/products/${id}`, { method: 'DELETE' });

export const setStock = (id: number, change: StockChange) =>
  request<Product>(`/api/products/${id}/stock`, { method: 'PUT', body: change });

export const setPhoto = (id: number, photo: Blob) =>
  request<Product>(`/api/products/${id}/photo`, { method: 'PUT', body: photo });

export const deletePhoto = (id: number) =>
  request<Product>(`/api/products/${id}/photo`, { method: 'DELETE' });

/** Every product query lives under `products` (the PDV's search too): a change refreshes them all. */
export const productKeys = {
  all: rootKeys.products,
  list: (f: ProductFilters) => [...rootKeys.products, 'list', f] as const,
  lowStock: (storeId: number | null) => [...rootKeys.products, 'low-stock', storeId] as const,
};

export const productQueries = {
  list: (f: ProductFilters) =>
    queryOptions({ queryKey: productKeys.list(f), queryFn: ({ signal }) => listProducts(f, signal) }),
  /** The dashboard's short list: of one store's stock, or of the chain's (null). */
  lowStock: (storeId: number | null) =>
    queryOptions({
      queryKey: productKeys.lowStock(storeId),
      queryFn: () => listProducts({ low_stock: true, per_page: 10, store_id: storeId ?? undefined }),
      staleTime: 0,
    }),
};

/** A product created, edited or deleted: the product lists, and the categories' product counts. */
export const PRODUCT_CHANGE_STALES = [rootKeys.products, rootKeys.categories] as const;
/** A stock change: the product lists (stock, low-stock flags). */
export const STOCK_CHANGE_STALES = [rootKeys.products] as const;

/** What the form does to the photo: keep it, replace it with a file, or remove it. */
export type PhotoChange = { kind: 'keep' } | { kind: 'set'; file: Blob } | { kind: 'remove' };

/**
 * Creates (`id: null`) or updates a product, then changes its photo. When the product is saved
 * but its photo is refused, the error says so and names the saved product (`saved`).
 */
export function useSaveProduct() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, input, photo = { kind: 'keep' } }: { id: number | null; input: ProductInput; photo?: PhotoChange }) => {
      let saved = id === null ? await createProduct(input) : await updateProduct(id, input);
      try {
        if (photo.kind === 'set') saved = await setPhoto(saved.id, photo.file);
        if (photo.kind === 'remove') saved = await deletePhoto(saved.id);
      } catch (e) {
        throw new PhotoError(e instanceof Error ? e.message : 'Não foi possível enviar a foto.', saved);
      }
      return saved;
    },
    onSettled: () => void invalidate(qc, PRODUCT_CHANGE_STALES),
  });
}

/** The product was saved; its photo was not. */
export class PhotoError extends Error {
  readonly saved: Product;
  constructor(message: string, saved: Product) {
    super(message);
    this.name = 'PhotoError';
    this.saved = saved;
  }
}

export function useDeleteProduct() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteProduct,
    onSuccess: () => void invalidate(qc, PRODUCT_CHANGE_STALES),
  });
}

/** An import creates and updates products and may create categories. (Also after a failure: a
 * connection lost after the server committed leaves the lists behind.) */
export function useImportProducts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: importProducts,
    onSettled: () => void invalidate(qc, PRODUCT_CHANGE_STALES),
  });
}

export function useSetStock() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: number; change: StockChange }) => setStock(id, change),
    onSuccess: () => void invalidate(qc, STOCK_CHANGE_STALES),
  });
}
