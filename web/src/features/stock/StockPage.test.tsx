import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../../app/session';
import { admin, json, product } from '../../test/fixtures';
import StockPage from './StockPage';

const biscoito = product(5, { name: 'Biscoito', code: 'BISC-1', barcodes: ['96385074'], stock: 1 });
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/products/lookup') {
      return u.searchParams.get('code') === '96385074'
        ? json(200, { product: biscoito, source: 'codigo_de_barras', quantity: null, amount: null })
        : json(404, { error: `Nenhum produto com o código ${u.searchParams.get('code')}` });
    }
    if (u.pathname === '/api/stock/counts' && init.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { counted: number };
      return json(201, { product: { ...biscoito, stock: body.counted }, recorded: true });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
  window.history.replaceState(null, '', '/estoque?aba=contagem');
});

function scan(code: string) {
  const box = screen.getByLabelText(/Leia o código de barras de cada item/);
  fireEvent.input(box, { target: { value: code } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

describe('the count screen', () => {
  it('counts one per scan, shows the difference, and confirms with one count per product', async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <StockPage />
      </QueryClientProvider>,
    );
    scan('96385074');
    scan('96385074');
    scan('96385074');
    await waitFor(() => expect((screen.getByLabelText('Contado de Biscoito') as HTMLInputElement).value).toBe('3'));
    expect(screen.getByTestId('count-difference').textContent).toBe('+2 un');
    scan('000');
    await screen.findByText('Nenhum produto com o código 000.');

    fireEvent.click(screen.getByRole('button', { name: 'Confirmar contagem (1)' }));
    await screen.findByText('Registrado: estoque 3 un');
    const posts = fetchMock.mock.calls.filter(([u]) => String(u).startsWith('/api/stock/counts'));
    expect(posts.map(([, i]) => JSON.parse(String((i as RequestInit).body)))).toEqual([{ product_id: 5, counted: 3, reason: 'Inventário' }]);
    expect(screen.getByRole('button', { name: 'Confirmar contagem (0)' })).toHaveProperty('disabled', true);
  });
});
