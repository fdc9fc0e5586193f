import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store, StorePrice } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, json, product, store } from '../../test/fixtures';
import { StorePrices } from './StorePrices';

const cafe = product(1, { name: 'Café', price: 14.99, catalog_price: 14.99 });
let stores: Store[];
let prices: Record<string, StorePrice[]>;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  stores = [store(1), store(2, { name: 'Loja Bairro' })];
  prices = { '1': [], '2': [{ product_id: 1, product_name: 'Café', price: 13.5, catalog_price: 14.99 }] };
  fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/stores') return json(200, stores);
    const m = /^\/api\/stores\/(\d+)\/prices(?:\/(\d+))?$/.exec(u.pathname);
    if (m && (init.method ?? 'GET') === 'GET') return json(200, prices[m[1]!]);
    if (m && init.method === 'PUT') {
      const price = Number(JSON.parse(String(init.body)).price);
      prices[m[1]!] = [{ product_id: 1, product_name: 'Café', price, catalog_price: 14.99 }];
      return json(200, prices[m[1]!]![0]);
    }
    if (m && init.method === 'DELETE') {
      prices[m[1]!] = [];
      return new Response(null, { status: 204 });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

const show = () =>
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <StorePrices product={cafe} />
    </QueryClientProvider>,
  );
const writes = () => fetchMock.mock.calls.filter(([, i]) => ((i as RequestInit).method ?? 'GET') !== 'GET').map(([u, i]) => [(i as RequestInit).method, String(u), (i as RequestInit).body ?? null]);

describe('a product’s price per store', () => {
  it('shows each store’s own price (empty: the catalog’s), saves one and drops another', async () => {
    show();
    const bairro = (await screen.findByLabelText('Loja Bairro (R$)')) as HTMLInputElement;
    await waitFor(() => expect(bairro.value).toBe('13,50'));
    const loja = screen.getByLabelText('Loja (R$)') as HTMLInputElement;
    expect([loja.value, loja.placeholder]).toEqual(['', '14,99']);

    fireEvent.input(loja, { target: { value: '15,2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salvar preço em Loja' }));
    await waitFor(() => expect(writes()).toEqual([['PUT', '/api/stores/1/prices/1', JSON.stringify({ price: '15.20' })]]));

    fireEvent.click(screen.getAllByRole('button', { name: 'Usar o do catálogo' }).at(-1)!);
    await waitFor(() => expect(writes().at(-1)).toEqual(['DELETE', '/api/stores/2/prices/1', null]));
    await waitFor(() => expect(bairro.value).toBe(''));
  });

  it('refuses a price that is not money, and sends nothing', async () => {
    show();
    fireEvent.input(await screen.findByLabelText('Loja (R$)'), { target: { value: 'doze' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salvar preço em Loja' }));
    expect(await screen.findByText(/Preço inválido/)).toBeTruthy();
    expect(writes()).toEqual([]);
  });

  it('says nothing in a shop with one store', async () => {
    stores = [store(1)];
    const { container } = show();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });
});
