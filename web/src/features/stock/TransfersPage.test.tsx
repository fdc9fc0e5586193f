import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Transfer, User } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, product, store, user } from '../../test/fixtures';
import TransfersPage from './TransfersPage';

const biscoito = (storeId: string | null) => product(5, { name: 'Biscoito', code: 'BISC-1', stock: storeId === '2' ? 4 : storeId === '1' ? 30 : 34 });

function transfer(id: number, fields: Partial<Transfer> = {}): Transfer {
  return {
    id,
    from_store_id: 1,
    from_store_name: 'Loja',
    to_store_id: 2,
    to_store_name: 'Loja Bairro',
    status: 'em_transito',
    note: null,
    user_id: 1,
    username: 'admin',
    created_at: '2026-12-03T10:00:00Z',
    closed_at: null,
    closed_by: null,
    items: [{ product_id: 5, product_name: 'Biscoito', unit: 'UN', quantity: 10 }],
    ...fields,
  };
}

let transfers: Transfer[];
let fetchMock: ReturnType<typeof vi.fn>;

function serve(who: User) {
  setSession({ token: 't', user: who });
  fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/stores') return json(200, who.role === 'admin' ? [store(1), store(2, { name: 'Loja Bairro' })] : [store(2, { name: 'Loja Bairro' })]);
    if (u.pathname === '/api/products/lookup') return json(200, { product: biscoito(u.searchParams.get('store_id')), source: 'codigo', quantity: null, amount: null });
    if (u.pathname === '/api/stock/transfers' && init.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { items: { product_id: number; quantity: number }[] };
      const sent = transfer(7, { items: body.items.map((i) => ({ ...i, product_name: 'Biscoito', unit: 'UN' as const })) });
      transfers = [sent, ...transfers];
      return json(201, sent);
    }
    const action = /^\/api\/stock\/transfers\/(\d+)\/(receive|cancel)$/.exec(u.pathname);
    if (action && init.method === 'POST') {
      const t = transfers.find((x) => x.id === Number(action[1]))!;
      Object.assign(t, { status: action[2] === 'receive' ? 'recebida' : 'cancelada', closed_at: '2026-12-03T11:00:00Z' });
      return json(200, t);
    }
    if (u.pathname === '/api/stock/transfers') {
      const status = u.searchParams.get('status');
      const listed = transfers.filter((t) => !status || t.status === status);
      return json(200, { transfers: listed, total: listed.length, pages: 1, current_page: 1 });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <TransfersPage />
    </QueryClientProvider>,
  );
}

const posts = () => fetchMock.mock.calls.filter(([, i]) => (i as RequestInit).method === 'POST').map(([u, i]) => [String(u), (i as RequestInit).body ? JSON.parse(String((i as RequestInit).body)) : null]);

beforeEach(() => {
  transfers = [];
});

describe('Transferências', () => {
  it('an administrator sends units from one store to another, read in the origin’s stock', async () => {
    serve(admin);
    await waitFor(() => expect((screen.getByLabelText('Para (destino)') as HTMLSelectElement).value).toBe('2'));
    fireEvent.input(screen.getByLabelText(/^Produto/), { target: { value: 'BISC-1' } });
    fireEvent.keyDown(screen.getByLabelText(/^Produto/), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('transfer-product-chosen').textContent).toContain('estoque 30')); // store 1's, not the total
    fireEvent.input(screen.getByLabelText(/^Quantidade/), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Adicionar' }));
    expect(screen.getByRole('list', { name: 'Itens da transferência' }).textContent).toContain('10 un · Biscoito');
    fireEvent.click(screen.getByRole('button', { name: 'Enviar transferência' }));
    await waitFor(() => expect(document.body.textContent).toContain('Transferência nº 7 enviada'));
    expect(posts()).toEqual([['/api/stock/transfers', { from_store_id: 1, to_store_id: 2, items: [{ product_id: 5, quantity: 10 }] }]]);
    await waitFor(() => expect(within(screen.getByTestId('transfer-7')).getByText('Em trânsito')).toBeTruthy());
  });

  it('the destination is never the origin: choosing the destination as origin moves the destination to another store', async () => {
    serve(admin);
    const to = (await screen.findByLabelText('Para (destino)')) as HTMLSelectElement;
    await waitFor(() => expect(to.value).toBe('2'));
    fireEvent(Object.assign(to, { value: '2' }), new Event('change', { bubbles: true }));
    const from = screen.getByLabelText('De (origem)') as HTMLSelectElement;
    fireEvent(Object.assign(from, { value: '2' }), new Event('change', { bubbles: true }));
    await waitFor(() => expect([from.value, to.value]).toEqual(['2', '1']));
    fireEvent.input(screen.getByLabelText(/^Produto/), { target: { value: 'BISC-1' } });
    fireEvent.keyDown(screen.getByLabelText(/^Produto/), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('transfer-product-chosen').textContent).toContain('estoque 4')); // store 2's
    fireEvent.input(screen.getByLabelText(/^Quantidade/), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Adicionar' }));
    fireEvent.click(screen.getByRole('button', { name: 'Enviar transferência' }));
    await waitFor(() => expect(posts()).toEqual([['/api/stock/transfers', { from_store_id: 2, to_store_id: 1, items: [{ product_id: 5, quantity: 3 }] }]]));
  });

  it('refuses a quantity that is not a whole number of units, and sends nothing', async () => {
    serve(admin);
    fireEvent.input(await screen.findByLabelText(/^Produto/), { target: { value: 'BISC-1' } });
    fireEvent.keyDown(screen.getByLabelText(/^Produto/), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('transfer-product-chosen').textContent).toContain('Biscoito'));
    fireEvent.input(screen.getByLabelText(/^Quantidade/), { target: { value: '1,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Adicionar' }));
    expect(document.body.textContent).toContain('Quantidade inteira maior que zero.');
    fireEvent.click(screen.getByRole('button', { name: 'Enviar transferência' }));
    expect(document.body.textContent).toContain('Adicione ao menos um produto.');
    expect(posts()).toEqual([]);
  });

  it('an employee of the destination receives what is in transit, and sends or cancels nothing', async () => {
    transfers = [transfer(3), transfer(2, { status: 'recebida', closed_at: '2026-12-02T10:00:00Z' })];
    serve(user(8, { username: 'bia', store_ids: [2] }));
    const row = await screen.findByTestId('transfer-3');
    expect(screen.queryByRole('form', { name: 'Nova transferência' })).toBeNull();
    expect(within(row).queryByRole('button', { name: 'Cancelar' })).toBeNull();
    expect(within(screen.getByTestId('transfer-2')).queryByRole('button', { name: 'Receber' })).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'Receber' }));
    await waitFor(() => expect(document.body.textContent).toContain('Transferência nº 3 recebida em Loja Bairro'));
    expect(posts()).toEqual([['/api/stock/transfers/3/receive', null]]);
    await waitFor(() => expect(within(screen.getByTestId('transfer-3')).getByText('Recebida')).toBeTruthy());
  });

  it('an administrator cancels one in transit after confirming: the units go back', async () => {
    transfers = [transfer(4)];
    serve(admin);
    fireEvent.click(within(await screen.findByTestId('transfer-4')).getByRole('button', { name: 'Cancelar' }));
    expect(posts()).toEqual([]);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancelar transferência' }));
    await waitFor(() => expect(document.body.textContent).toContain('Transferência nº 4 cancelada: as unidades voltaram a Loja.'));
    expect(posts()).toEqual([['/api/stock/transfers/4/cancel', null]]);
  });
});
