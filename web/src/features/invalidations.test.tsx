// What each change makes stale is declared by the api module of the feature it belongs to; the
// pages only call the hooks. This checks every mutation against a cache holding one query of
// each kind.
import { QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import { renderHook } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../app/session';
import { json } from '../test/fixtures';
import { categoryKeys, useCreateCategory, useDeleteCategory, useRenameCategory } from './categories/api';
import { summaryKeys } from './dashboard/api';
import { infoQuery } from './info/api';
import { pdvKeys } from './pdv/api';
import { productKeys, useDeleteProduct, useSaveProduct, useSetStock } from './products/api';
import { saleKeys, useCreateSale } from './sales/api';
import { userKeys, useDeleteUser, useSaveUser } from './users/api';

const CACHED: Record<string, QueryKey> = {
  'product list': productKeys.list({ page: 1 }),
  'low stock': productKeys.lowStock(),
  'PDV search': pdvKeys.search('café'),
  categories: categoryKeys.all,
  users: userKeys.all,
  'sale list': saleKeys.list({ page: 1 }),
  'sale detail': saleKeys.detail(1),
  summary: summaryKeys.all,
  info: infoQuery.queryKey,
};
const PRODUCTS = ['product list', 'low stock', 'PDV search'];

beforeEach(() => {
  setSession({ token: 't', user: { id: 1, username: 'admin', role: 'admin', active: true, created_at: '2026-11-01T10:00:00Z' } });
  vi.stubGlobal('fetch', vi.fn(async () => json(200, { id: 1, message: 'ok' })));
});

async function staleAfter<V>(useChange: () => { mutateAsync: (v: V) => Promise<unknown> }, variables: V): Promise<string[]> {
  const qc = new QueryClient();
  for (const key of Object.values(CACHED)) qc.setQueryData(key, {});
  const wrapper = ({ children }: { children: ComponentChildren }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
  const { result } = renderHook(useChange, { wrapper: wrapper as never });
  await result.current.mutateAsync(variables);
  return Object.entries(CACHED)
    .filter(([, key]) => qc.getQueryState(key)?.isInvalidated)
    .map(([name]) => name);
}

describe('what a change makes stale', () => {
  it('a sale: the products (the PDV search too), the sales and the summary', async () => {
    const sale = { sale: { items: [{ product_id: 1, quantity: 1 }], payment_method: 'pix' as const }, idempotencyKey: 'k' };
    expect(await staleAfter(useCreateSale, sale)).toEqual([...PRODUCTS, 'sale list', 'sale detail', 'summary']);
  });

  it('a product saved or deleted: the products and the categories (their counts)', async () => {
    const input = { name: 'Café', price: '14.99', category_id: 1 };
    expect(await staleAfter(useSaveProduct, { id: null, input })).toEqual([...PRODUCTS, 'categories']);
    expect(await staleAfter(useSaveProduct, { id: 1, input })).toEqual([...PRODUCTS, 'categories']);
    expect(await staleAfter(useDeleteProduct, 1)).toEqual([...PRODUCTS, 'categories']);
  });

  it('a stock change: the products', async () => {
    expect(await staleAfter(useSetStock, { id: 1, change: { adjustment: 5 } })).toEqual(PRODUCTS);
  });

  it('a category created or deleted: the categories; renamed: the products too (they show its name)', async () => {
    expect(await staleAfter(useCreateCategory, 'Bebidas')).toEqual(['categories']);
    expect(await staleAfter(useDeleteCategory, 1)).toEqual(['categories']);
    expect(await staleAfter(useRenameCategory, { id: 1, name: 'Bebidas' })).toEqual([...PRODUCTS, 'categories']);
  });

  it('a user saved or removed: the users and the sales (they show the seller)', async () => {
    const body = { username: 'maria', password: 'segredo1', role: 'funcionario' as const };
    expect(await staleAfter(useSaveUser, { id: null, body })).toEqual(['users', 'sale list', 'sale detail']);
    expect(await staleAfter(useDeleteUser, 2)).toEqual(['users', 'sale list', 'sale detail']);
  });
});
