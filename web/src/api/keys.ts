// The root of every cached resource. Each feature's api.ts builds its query keys under its root
// and declares, with its mutations, which roots a change makes stale; naming the roots here lets
// it do that without importing the other features (and without import cycles between them).
import type { QueryClient, QueryKey } from '@tanstack/react-query';

export const rootKeys = {
  info: ['info'],
  products: ['products'],
  categories: ['categories'],
  users: ['users'],
  sales: ['sales'],
  summary: ['summary'],
  settings: ['settings'],
  cash: ['cash-sessions'],
  pix: ['pix'],
  customers: ['customers'],
  audit: ['audit'],
  reports: ['reports'],
  review: ['review'],
  stores: ['stores'],
  terminals: ['terminals'],
  transfers: ['transfers'],
} as const;

/**
 * Marks every query under `roots` stale; the ones on screen refetch. Resolves when they have
 * (await it to show the fresh list before going on; the PDV does not wait).
 */
export function invalidate(qc: QueryClient, roots: readonly QueryKey[]): Promise<void> {
  return Promise.all(roots.map((queryKey) => qc.invalidateQueries({ queryKey }))).then(() => {});
}
