import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Review, ReviewReason } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, sale } from '../../test/fixtures';
import { ReviewCard } from './ReviewCard';

let review: Review;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  review = {
    sales: [
      sale(12, { user_username: 'maria', total_amount: 25.9, review_reasons: ['estoque_insuficiente', 'caixa_fechado'] }),
      sale(9, { review_reasons: ['sem_caixa', 'motivo_novo' as ReviewReason] }), // a reason added to the server later
    ],
    products: [{ id: 5, name: 'Arroz 5kg', stock: -2, unit: 'UN' }],
  };
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/info') return json(200, info);
    if (url === '/api/review') return json(200, review);
    if (url === '/api/sales/12/review' && init?.method === 'POST') {
      review = { ...review, sales: review.sales.filter((s) => s.id !== 12) };
      return json(200, sale(12, { reviewed_at: '2026-12-01T12:00:00Z', reviewed_by: 'admin' }));
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function show() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ReviewCard />
    </QueryClientProvider>,
  );
}

describe('the "Para revisar" card', () => {
  it('lists the flagged sales with their reasons in Portuguese and a link to each, and the products below zero', async () => {
    show();
    const sales = await screen.findByTestId('review-sales');
    expect(screen.getByRole('heading', { name: 'Para revisar' })).toBeTruthy();
    expect(sales.textContent).toContain('vendida sem estoque suficiente; o caixa já estava fechado quando chegou');
    expect(sales.textContent).toContain('feita sem caixa aberto; motivo novo');
    expect(sales.textContent).toContain('maria');
    expect(screen.getByRole('link', { name: 'Venda nº 12' }).getAttribute('href')).toBe('/vendas/12/recibo');
    expect(screen.getByTestId('review-products').textContent).toContain('Arroz 5kg');
    expect(screen.getByTestId('review-products').textContent).toContain('-2');
  });

  it('"Marcar como revisada" posts the review and the sale leaves the list', async () => {
    show();
    await screen.findByRole('link', { name: 'Venda nº 12' });
    fireEvent.click(screen.getAllByRole('button', { name: 'Marcar como revisada' })[0]!);
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Venda nº 12' })).toBeNull());
    expect(fetchMock.mock.calls.some(([u, i]) => u === '/api/sales/12/review' && i?.method === 'POST')).toBe(true);
    expect(screen.getByRole('link', { name: 'Venda nº 9' })).toBeTruthy();
  });

  it('is hidden when there is nothing to review', async () => {
    review = { sales: [], products: [] };
    show();
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/review')).toBe(true));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('heading', { name: 'Para revisar' })).toBeNull();
  });
});
