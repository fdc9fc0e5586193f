import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../../app/session';
import { admin, info, json, sale, user } from '../../test/fixtures';
import SalesPage from './SalesPage';

let fetchMock: ReturnType<typeof vi.fn>;
const clicks: string[] = [];

beforeEach(() => {
  setSession({ token: 't', user: admin });
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/users') return json(200, [user(3, { username: 'maria' })]);
    if (u.pathname === '/api/sales') return json(200, { sales: [sale(1)], total: 1, pages: 1, current_page: 1, total_amount: 10, average_ticket: 10 });
    if (u.pathname === '/api/sales/export') {
      const ext = u.searchParams.get('format') === 'xlsx' ? 'xlsx' : 'csv';
      return new Response('x', { status: 200, headers: { 'Content-Disposition': `attachment; filename="vendas-2026-11-29.${ext}"` } });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:fake'), revokeObjectURL: vi.fn() }));
  clicks.length = 0;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push(this.download);
  });
  window.history.replaceState(null, '', '/vendas');
});

function change(el: HTMLElement, value: string) {
  (el as HTMLSelectElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}

describe('the sales page’s exports', () => {
  it('"Exportar XLSX" sits next to "Exportar CSV" and downloads the same filter as a spreadsheet', async () => {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <SalesPage />
      </QueryClientProvider>,
    );
    await screen.findByTestId('sales-table');
    await screen.findByRole('option', { name: 'maria' });
    change(screen.getByLabelText('Vendedor'), '3');
    fireEvent.input(screen.getByLabelText('De'), { target: { value: '2026-11-01T00:00' } });
    await waitFor(() => expect(fetchMock.mock.calls.map(([u]) => String(u))).toContain('/api/sales?start_date=2026-11-01T00%3A00&user_id=3&page=1&per_page=20'));

    fireEvent.click(screen.getByRole('button', { name: 'Exportar XLSX' }));
    await screen.findByText('Arquivo vendas-2026-11-29.xlsx baixado.');
    fireEvent.click(screen.getByRole('button', { name: 'Exportar CSV' }));
    await screen.findByText('Arquivo vendas-2026-11-29.csv baixado.');
    const exports = fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/sales/export'));
    expect(exports).toEqual([
      '/api/sales/export?start_date=2026-11-01T00%3A00&user_id=3&format=xlsx',
      '/api/sales/export?start_date=2026-11-01T00%3A00&user_id=3',
    ]);
    expect(clicks).toEqual(['vendas-2026-11-29.xlsx', 'vendas-2026-11-29.csv']);
  });
});
