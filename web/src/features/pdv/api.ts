// The PDV's own server state: the search as the operator types, active products only (its keys live under `products`,
// so a product change or a sale, which declare `products` stale, refreshes it too) and the PIX
// code of an amount (under `pix`, which new settings make stale: the key may have changed).
import { queryOptions } from '@tanstack/react-query';
import { request } from '../../api/client';
import { rootKeys } from '../../api/keys';
import type { Catalog, PixCode } from '../../api/types';
import { centsToApi } from '../../lib/money';
import { listProducts } from '../products/api';

/** The static BR Code for `cents` and its QR (409/400 with the reason when no PIX key is set). */
export const getPix = (cents: number, signal?: AbortSignal) =>
  request<PixCode>('/api/pix', { query: { amount: centsToApi(cents) }, signal });

/** Every active product in one answer, for the PDV's index of codes. */
export const getCatalog = (signal?: AbortSignal) => request<Catalog>('/api/products/catalog', { signal });

export const pdvKeys = {
  search: (term: string) => [...rootKeys.products, 'pdv-search', term] as const,
  pix: (cents: number) => [...rootKeys.pix, cents] as const,
};

export const pdvQueries = {
  search: (term: string) =>
    queryOptions({
      queryKey: pdvKeys.search(term),
      queryFn: ({ signal }) => listProducts({ search: term, per_page: 20, active: true }, signal),
      enabled: term.length > 0,
      staleTime: 5_000,
    }),
  pix: (cents: number) =>
    queryOptions({
      queryKey: pdvKeys.pix(cents),
      queryFn: ({ signal }) => getPix(cents, signal),
      enabled: cents > 0,
      staleTime: 5 * 60_000,
      retry: false,
    }),
};
