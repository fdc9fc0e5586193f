import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, sale, settings, store } from '../../test/fixtures';
import ReceiptPage from './ReceiptPage';
import SalesPage from './SalesPage';

let stores: Store[];
let fetchMock: ReturnType<typeof vi.fn>;
const bairro = sale(2, { store_id: 2, store_name: 'Loja Bairro' });

beforeEach(() => {
  setSession({ token: 't', user: admin });
  stores = [store(1)];
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/settings') return json(200, settings({ shop_name: 'Mercadinho' }));
    if (u.pathname === '/api/users') return json(200, [admin]);
    if (u.pathname === '/api/stores') return json(200, stores);
    if (u.pathname === '/api/sales/2') return json(200, bairro);
    if (u.pathname === '/api/sales/3') return json(200, sale(3, { store_id: 1, store_name: 'Loja' }));
    if (u.pathname === '/api/sales') return json(200, { sales: [sale(1), bairro], total: 2, pages: 1, current_page: 1, total_amount: 20, average_ticket: 10 });
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function show(page: ComponentChildren) {
  render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{page}</QueryClientProvider>);
}

const asked = () => fetchMock.mock.calls.map(([u]) => String(u));

function choose(el: HTMLElement, value: string) {
  (el as HTMLSelectElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}

describe('the sales and the stores', () => {
  it('one store: no "Loja" column, filter or detail, nothing sent about stores, and the receipt has no store', async () => {
    show(<SalesPage />);
    await screen.findByTestId('sales-table');
    await waitFor(() => expect(asked()).toContain('/api/stores'));
    expect(screen.queryByRole('columnheader', { name: 'Loja' })).toBeNull();
    expect(screen.queryByLabelText('Loja')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Detalhes da venda 2' }));
    await screen.findByTestId('sale-detail');
    expect(screen.getByTestId('sale-detail').textContent).not.toContain('Loja Bairro');
    expect(asked().filter((u) => u.includes('store_id'))).toEqual([]);
  });

  it('two stores: the "Loja" column, a filter sent as store_id, and the store in the detail', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    show(<SalesPage />);
    await screen.findByRole('columnheader', { name: 'Loja' });
    const row = screen.getByTestId('sales-table').querySelector('[data-sale-id="2"]') as HTMLElement;
    expect(within(row).getByText('Loja Bairro')).toBeTruthy();
    const filter = screen.getByLabelText('Loja');
    expect([...(filter as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Todas', 'Loja', 'Loja Bairro']);
    choose(filter, '2');
    await waitFor(() => expect(asked()).toContain('/api/sales?store_id=2&page=1&per_page=20'));
    fireEvent.click(screen.getByRole('button', { name: 'Exportar CSV' }));
    await waitFor(() => expect(asked()).toContain('/api/sales/export?store_id=2'));
    fireEvent.click(screen.getByRole('button', { name: 'Detalhes da venda 2' }));
    expect((await screen.findByTestId('sale-detail')).textContent).toContain('LojaLoja Bairro');
  });

  it('the receipt page with one store prints no store', async () => {
    show(<ReceiptPage id={3} />);
    await screen.findByTestId('receipt');
    await waitFor(() => expect(asked()).toContain('/api/stores'));
    expect(screen.queryByTestId('receipt-store')).toBeNull();
  });

  it('the receipt page with two stores prints the sale’s store under the shop’s name', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    show(<ReceiptPage id={2} />);
    expect((await screen.findByTestId('receipt-store')).textContent).toBe('Loja Bairro');
  });
});
