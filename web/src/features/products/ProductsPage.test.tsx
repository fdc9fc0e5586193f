import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../../app/session';
import { admin, info, json, product } from '../../test/fixtures';
import ProductsPage from './ProductsPage';

let fetchMock: ReturnType<typeof vi.fn>;
const clicks: string[] = [];

beforeEach(() => {
  setSession({ token: 't', user: admin });
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/categories') return json(200, [{ id: 4, name: 'Frios', created_at: '2026-11-01T10:00:00Z', products_count: 1 }]);
    if (u.pathname === '/api/products') return json(200, { products: [product(1, { low_stock: true, stock: 2 })], total: 1, pages: 1, current_page: 1 });
    if (u.pathname === '/api/products/export') {
      return new Response('\ufeffcodigo;nome\n', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="produtos-2026-11-29.csv"' } });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:fake'), revokeObjectURL: vi.fn() }));
  clicks.length = 0;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push(this.download);
  });
  window.history.replaceState(null, '', '/produtos');
});

/** A real `change` event (Testing Library's fireEvent.change becomes `input` under preact/compat). */
function change(el: HTMLElement, value: string) {
  (el as HTMLSelectElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}

describe('the products page', () => {
  it('exports what its filters show: "Só estoque baixo" makes it the restocking list', async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <ProductsPage />
      </QueryClientProvider>,
    );
    await screen.findByTestId('products-table');
    await screen.findByRole('option', { name: 'Frios' });
    change(screen.getByLabelText('Categoria'), '4');
    change(screen.getByLabelText('Situação'), 'inativos');
    fireEvent.click(screen.getByLabelText('Só estoque baixo'));
    const button = screen.getByRole('button', { name: 'Exportar CSV' });
    await waitFor(() => expect(button.title).toMatch(/lista de reposição/));
    fireEvent.click(button);
    await screen.findByText('Arquivo produtos-2026-11-29.csv baixado.');
    const exports = fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/products/export'));
    expect(exports).toEqual(['/api/products/export?category_id=4&low_stock=true&active=false']);
    expect(clicks).toEqual(['produtos-2026-11-29.csv']);

    change(screen.getByLabelText('Situação'), 'todos');
    fireEvent.click(screen.getByLabelText('Só estoque baixo'));
    await waitFor(() => expect(button.title).not.toMatch(/reposição/));
    fireEvent.click(button);
    await waitFor(() => expect(fetchMock.mock.calls.map(([u]) => String(u))).toContain('/api/products/export?category_id=4'));
  });

  it('"Importar CSV" opens the import dialog', async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <ProductsPage />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Importar CSV' }));
    await screen.findByRole('heading', { name: 'Importar produtos (CSV)' });
    expect(screen.getByLabelText('Arquivo CSV')).toBeTruthy();
  });
});
