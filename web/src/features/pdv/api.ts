// The PDV's own server state: the search as the operator types, active products only (its keys live under `products`,
// so a product change or a sale, which declare `products` stale, refreshes it too) and the PIX
// code of an amount (under `pix`, which new settings make stale: the key may have changed).
import { queryOptions } from '@tanstack/react-query';
import { request, send } from '../../api/client';
import { rootKeys } from '../../api/keys';
import type { Catalog, PixCode } from '../../api/types';
import { centsToApi } from '../../lib/money';
import { listProducts } from '../products/api';

/** The static BR Code for `cents` and its QR (409/400 with the reason when no PIX key is set). */
export const getPix = (cents: number, storeId: number | undefined, signal?: AbortSignal) =>
  request<PixCode>('/api/pix', { query: { amount: centsToApi(cents), store_id: storeId }, signal });

/** Every active product in one answer (with the stock and prices of `storeId`, if given), for the
 * PDV's index of codes. Given the ETag of the copy the terminal has, null when that copy is still
 * the catalog (304). */
export async function getCatalog(etag: string | undefined, storeId: number | undefined, signal?: AbortSignal): Promise<{ catalog: Catalog; etag: string | null } | null> {
  const res = await send('/api/products/catalog', { query: { store_id: storeId }, headers: etag ? { 'If-None-Match': etag } : {}, signal });
  if (res.status === 304) return null;
  return { catalog: (await res.json()) as Catalog, etag: res.headers.get('ETag') };
}

export const pdvKeys = {
  search: (term: string, storeId: number | undefined) => [...rootKeys.products, 'pdv-search', term, storeId ?? null] as const,
  pix: (cents: number, storeId: number | undefined) => [...rootKeys.pix, cents, storeId ?? null] as const,
};

export const pdvQueries = {
  search: (term: string, storeId: number | undefined) =>
    queryOptions({
      queryKey: pdvKeys.search(term, storeId),
      queryFn: ({ signal }) => listProducts({ search: term, per_page: 20, active: true, store_id: storeId }, signal),
      enabled: term.length > 0,
      staleTime: 5_000,
    }),
  /** to the key of the store the PDV sells in, when it has its own */
  pix: (cents: number, storeId: number | undefined) =>
    queryOptions({
      queryKey: pdvKeys.pix(cents, storeId),
      queryFn: ({ signal }) => getPix(cents, storeId, signal),
      enabled: cents > 0,
      staleTime: 5 * 60_000,
      retry: false,
    }),
};

/** The sales this terminal keeps until the server records them (the cash page will not close
 * while some wait). */
export { useOutbox } from './offline/useOutbox';
