// What each change makes stale is declared by the api module of the feature it belongs to; the
// pages only call the hooks. This checks every mutation against a cache holding one query of
// each kind.
import { QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import { renderHook } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../app/session';
import { admin, json } from '../test/fixtures';
import { cashKeys, useCashMovement, useCloseCash, useOpenCash } from './cash/api';
import { auditKeys } from './audit/api';
import { categoryKeys, useCreateCategory, useDeleteCategory, useRenameCategory } from './categories/api';
import { customerKeys, useSaveCustomer } from './customers/api';
import { reviewKeys, summaryKeys, useMarkReviewed } from './dashboard/api';
import { infoQuery } from './info/api';
import { pdvKeys } from './pdv/api';
import { productKeys, useDeleteProduct, useImportProducts, useSaveProduct, useSetStock } from './products/api';
import { reportKeys } from './reports/api';
import { saleKeys, useCancelSale, useCreateSale, useReturnSale } from './sales/api';
import { settingsKeys, useSaveSettings, useSaveStoreSettings } from './settings/api';
import { storeKeys, useSaveStore, useSaveTerminal } from './stores/api';
import { userKeys, useDeleteUser, useSaveUser } from './users/api';

const CACHED: Record<string, QueryKey> = {
  'product list': productKeys.list({ page: 1 }),
  'low stock': productKeys.lowStock(2),
  'PDV search': pdvKeys.search('café', undefined),
  categories: categoryKeys.all,
  users: userKeys.all,
  'sale list': saleKeys.list({ page: 1 }),
  'sale detail': saleKeys.detail(1),
  summary: summaryKeys.of(2),
  info: infoQuery.queryKey,
  settings: settingsKeys.of(undefined),
  'store settings': settingsKeys.of(2),
  'store own settings': settingsKeys.own(2),
  'PIX code': pdvKeys.pix(1000, 2),
  'current cash': cashKeys.current(),
  'cash list': cashKeys.list({ page: 1 }),
  'cash detail': cashKeys.detail(1),
  'sales report': reportKeys.sales({ group_by: 'day' }),
  'customer list': customerKeys.list({ search: 'ana' }),
  'customer detail': customerKeys.detail(1),
  'audit log': auditKeys.list({ page: 1 }),
  review: reviewKeys.all,
  stores: storeKeys.all,
  terminals: storeKeys.terminals,
};
const CUSTOMERS = ['customer list', 'customer detail'];
const CASH = ['current cash', 'cash list', 'cash detail'];
const PRODUCTS = ['product list', 'low stock', 'PDV search'];

beforeEach(() => {
  setSession({ token: 't', user: admin });
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
  it('a sale: the products (the PDV search too), the sales, the summary, the cash sessions, the reports, the customers (what they bought) and what to review', async () => {
    const sale = { sale: { items: [{ product_id: 1, quantity: 1 }], payments: [{ method: 'pix' as const, amount: '10.00' }], customer_id: 1 }, idempotencyKey: 'k' };
    expect(await staleAfter(useCreateSale, sale)).toEqual([...PRODUCTS, 'sale list', 'sale detail', 'summary', ...CASH, 'sales report', ...CUSTOMERS, 'review']);
  });

  it('a cancellation or a return: the same as a sale (stock back, totals, cash, reports and a customer’s total spent down)', async () => {
    const all = [...PRODUCTS, 'sale list', 'sale detail', 'summary', ...CASH, 'sales report', ...CUSTOMERS, 'review'];
    expect(await staleAfter(useCancelSale, { id: 1, reason: 'desistiu' })).toEqual(all);
    const back = { id: 1, items: [{ sale_item_id: 1, quantity: 1 }], reason: 'defeito', refund_method: 'dinheiro' as const };
    expect(await staleAfter(useReturnSale, back)).toEqual(all);
  });

  it('a sale marked reviewed: what to review and the sales', async () => {
    expect(await staleAfter(useMarkReviewed, 1)).toEqual(['sale list', 'sale detail', 'review']);
  });

  it('the settings: the settings and the PIX codes (the key may have changed)', async () => {
    const settings = ['settings', 'store settings', 'store own settings', 'PIX code'];
    expect(await staleAfter(useSaveSettings, { shop_name: 'Loja' })).toEqual(settings);
    expect(await staleAfter(useSaveStoreSettings, { storeId: 2, body: { pix_key: 'loja2@example.com' } })).toEqual(settings);
  });

  it('opening, a movement, closing: the cash sessions', async () => {
    expect(await staleAfter(useOpenCash, { opening_float: '100.00' })).toEqual(CASH);
    expect(await staleAfter(useCashMovement, { id: 1, type: 'sangria', amount: '10.00', reason: 'cofre' })).toEqual(CASH);
    expect(await staleAfter(useCloseCash, { id: 1, counted: '90.00' })).toEqual(CASH);
  });

  it('a product saved or deleted: the products and the categories (their counts)', async () => {
    const input = { name: 'Café', price: '14.99', category_id: 1 };
    expect(await staleAfter(useSaveProduct, { id: null, input })).toEqual([...PRODUCTS, 'categories']);
    expect(await staleAfter(useSaveProduct, { id: 1, input })).toEqual([...PRODUCTS, 'categories']);
    expect(await staleAfter(useDeleteProduct, 1)).toEqual([...PRODUCTS, 'categories']);
  });

  it('a catalog import: the products and the categories (it may create some)', async () => {
    expect(await staleAfter(useImportProducts, new Blob(['nome;categoria;preco\n']))).toEqual([...PRODUCTS, 'categories']);
  });

  it('a stock change: the products', async () => {
    expect(await staleAfter(useSetStock, { id: 1, change: { adjustment: 5 } })).toEqual(PRODUCTS);
  });

  it('a category created or deleted: the categories; renamed: the products too (they show its name)', async () => {
    expect(await staleAfter(useCreateCategory, 'Bebidas')).toEqual(['categories']);
    expect(await staleAfter(useDeleteCategory, 1)).toEqual(['categories']);
    expect(await staleAfter(useRenameCategory, { id: 1, name: 'Bebidas' })).toEqual([...PRODUCTS, 'categories']);
  });

  it('a customer created or edited: the customers and the sales (they show the customer)', async () => {
    expect(await staleAfter(useSaveCustomer, { id: null, body: { name: 'Ana Souza' } })).toEqual(['sale list', 'sale detail', ...CUSTOMERS]);
    expect(await staleAfter(useSaveCustomer, { id: 1, body: { phone: null } })).toEqual(['sale list', 'sale detail', ...CUSTOMERS]);
  });

  it('a store added, renamed or closed: the stores, and the sales and cash sessions (they show its name)', async () => {
    expect(await staleAfter(useSaveStore, { id: null, name: 'Loja Bairro' })).toEqual(['sale list', 'sale detail', ...CASH, 'stores']);
    expect(await staleAfter(useSaveStore, { id: 2, changes: { active: false } })).toEqual(['sale list', 'sale detail', ...CASH, 'stores']);
  });

  it('a terminal added, renamed or closed: the terminals', async () => {
    expect(await staleAfter(useSaveTerminal, { id: null, store_id: 2, name: 'Caixa 1' })).toEqual(['terminals']);
    expect(await staleAfter(useSaveTerminal, { id: 4, changes: { name: 'Caixa 2' } })).toEqual(['terminals']);
  });

  it('a user saved or removed: the users and the sales (they show the seller)', async () => {
    const body = { username: 'maria', password: 'segredo1', role: 'funcionario' as const };
    expect(await staleAfter(useSaveUser, { id: null, body })).toEqual(['users', 'sale list', 'sale detail']);
    expect(await staleAfter(useDeleteUser, 2)).toEqual(['users', 'sale list', 'sale detail']);
  });
});
