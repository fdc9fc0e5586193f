import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StockMovement, Store } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, product, store } from '../../test/fixtures';
import MovementsPage from './MovementsPage';
import StockPage from './StockPage';

// The biscuit's stock: 10 in all, 6 in store 1 and 4 in store 2.
const STOCK: Record<string, number> = { '': 10, '1': 6, '2': 4 };
const biscoito = (storeId: string | null) => product(5, { name: 'Biscoito', code: 'BISC-1', barcodes: ['96385074'], stock: STOCK[storeId ?? '']! });

function movement(id: number, fields: Partial<StockMovement> = {}): StockMovement {
  return {
    id,
    type: 'entrada',
    reason: 'entrada',
    quantity: 2,
    stock_after: 6,
    balance: 6,
    created_at: '2026-11-29T17:05:00Z',
    invoice: null,
    note: null,
    supplier: null,
    unit_cost: null,
    sale_id: null,
    return_id: null,
    transfer_id: null,
    store_id: 1,
    store_name: 'Loja',
    user_id: 1,
    user_username: 'admin',
    ...fields,
  };
}

let stores: Store[];
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  stores = [store(1)];
  fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    const u = new URL(url, 'http://x');
    const storeId = u.searchParams.get('store_id');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/stores') return json(200, stores);
    if (u.pathname === '/api/products/lookup') return json(200, { product: biscoito(storeId), source: 'codigo_de_barras', quantity: null, amount: null });
    if (u.pathname === '/api/products/5') return json(200, biscoito(storeId));
    if (u.pathname === '/api/products/5/movements') {
      const all = [movement(1), movement(2, { store_id: 2, store_name: 'Loja Bairro', stock_after: 4, balance: 4 })];
      const movements = storeId ? all.filter((m) => String(m.store_id) === storeId) : all;
      return json(200, { movements, total: movements.length, pages: 1, current_page: 1 });
    }
    if (u.pathname.startsWith('/api/stock/') && init.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { store_id?: number; quantity?: number; counted?: number };
      const key = String(body.store_id ?? '');
      const stock = body.counted ?? STOCK[key]! + body.quantity!;
      return json(201, { product: { ...biscoito(null), stock }, recorded: true });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
  window.history.replaceState(null, '', '/estoque');
});

function show(page: ComponentChildren) {
  render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{page}</QueryClientProvider>);
}

const asked = () => fetchMock.mock.calls.map(([u]) => String(u));
const posted = (path: string) =>
  fetchMock.mock.calls.filter(([u, i]) => String(u) === path && (i as RequestInit).method === 'POST').map(([, i]) => JSON.parse(String((i as RequestInit).body)) as unknown);

function choose(el: HTMLElement, value: string) {
  (el as HTMLSelectElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

async function registerEntry() {
  type(/^Produto/, '96385074');
  fireEvent.keyDown(screen.getByLabelText(/^Produto/), { key: 'Enter' });
  await waitFor(() => expect(screen.getByTestId('entry-product-chosen').textContent).toContain('Biscoito'));
  const chosen = screen.getByTestId('entry-product-chosen').textContent;
  type(/^Quantidade/, '3');
  type(/^Custo unitário/, '8,40');
  fireEvent.click(screen.getByRole('button', { name: 'Registrar entrada' }));
  await screen.findByText(/Entrada registrada/);
  return chosen;
}

function scan(code: string) {
  const box = screen.getByLabelText(/Leia o código de barras de cada item/);
  fireEvent.input(box, { target: { value: code } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

describe('the stock page and the stores', () => {
  it('one store: no "Loja" selector, and nothing sent about stores', async () => {
    show(<StockPage />);
    await waitFor(() => expect(asked()).toContain('/api/stores'));
    expect(screen.queryByLabelText('Loja')).toBeNull();
    expect(await registerEntry()).toContain('estoque 10 un');
    expect(posted('/api/stock/entries')).toEqual([{ product_id: 5, quantity: 3, unit_cost: '8.40' }]);
    expect(asked().filter((u) => u.includes('store_id'))).toEqual([]);
  });

  it('two stores: the entry reads and moves the chosen store’s stock', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' }), store(3, { name: 'Loja Fechada', active: false })];
    show(<StockPage />);
    const select = await screen.findByLabelText('Loja');
    expect([...(select as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Loja', 'Loja Bairro']);
    choose(select, '2');
    expect(await registerEntry()).toContain('estoque 4 un');
    expect(asked()).toContain('/api/products/lookup?code=96385074&store_id=2');
    expect(posted('/api/stock/entries')).toEqual([{ product_id: 5, store_id: 2, quantity: 3, unit_cost: '8.40' }]);
    expect(screen.getByText(/Entrada registrada/).textContent).toContain('agora tem 7 un');
  });

  it('two stores: the count compares with the store’s stock, and keeps its store until sent', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    window.history.replaceState(null, '', '/estoque?aba=contagem');
    show(<StockPage />);
    const select = await screen.findByLabelText('Loja');
    choose(select, '2');
    scan('96385074');
    await waitFor(() => expect(screen.getByTestId('count-difference').textContent).toBe('-3 un'));
    await waitFor(() => expect(select).toHaveProperty('disabled', true));

    fireEvent.click(screen.getByRole('button', { name: 'Confirmar contagem (1)' }));
    await screen.findByText('Registrado: estoque 1 un');
    expect(posted('/api/stock/counts')).toEqual([{ product_id: 5, store_id: 2, counted: 1, reason: 'Inventário' }]);
    await waitFor(() => expect(select).toHaveProperty('disabled', false));
    // Another store starts the count over: its lines held store 2's stock.
    choose(select, '1');
    await screen.findByText('Nenhum item contado ainda.');
  });
});

describe('a product’s movements and the stores', () => {
  it('one store: no "Loja" filter nor column, nothing sent about stores', async () => {
    show(<MovementsPage id={5} />);
    await screen.findByTestId('movements-table');
    await waitFor(() => expect(asked()).toContain('/api/stores'));
    expect(screen.queryByLabelText('Loja')).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Loja' })).toBeNull();
    expect(asked().filter((u) => u.includes('store_id'))).toEqual([]);
  });

  it('two stores: the "Loja" column, and a filter sent as store_id that shows the store’s stock', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    show(<MovementsPage id={5} />);
    await screen.findByRole('columnheader', { name: 'Loja' });
    const table = screen.getByTestId('movements-table');
    expect(within(table).getByText('Loja Bairro')).toBeTruthy();
    expect(screen.getByTestId('movements-summary').textContent).toContain('Estoque atual 10 un');

    choose(screen.getByLabelText('Loja'), '2');
    await waitFor(() => expect(screen.getByTestId('movements-summary').textContent).toContain('Estoque atual 4 un'));
    expect(asked()).toContain('/api/products/5/movements?page=1&per_page=50&store_id=2');
    expect(asked()).toContain('/api/products/5?store_id=2');
    await waitFor(() => expect(screen.getByTestId('movements-table').querySelectorAll('tbody tr')).toHaveLength(1));
  });
});
