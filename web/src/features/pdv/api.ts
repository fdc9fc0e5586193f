// The PDV's search as the operator types. Its keys live under `products`, so a product change
// or a sale (which declare `products` stale) refreshes it too.
import { queryOptions } from '@tanstack/react-query';
import { rootKeys } from '../../api/keys';
import { listProducts } from '../products/api';

export const pdvKeys = {
  search: (term: string) => [...rootKeys.products, 'pdv-search', term] as const,
};

export const pdvQueries = {
  search: (term: string) =>
    queryOptions({
      queryKey: pdvKeys.search(term),
      queryFn: ({ signal }) => listProducts({ search: term, per_page: 20 }, signal),
      enabled: term.length > 0,
      staleTime: 5_000,
    }),
};
