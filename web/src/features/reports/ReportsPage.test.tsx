import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportFigures, ReportRow, SalesReport, Store } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, product, store, user } from '../../test/fixtures';
import ReportsPage from './ReportsPage';

const figures = (f: Partial<ReportFigures>): ReportFigures => ({
  count: 0, quantity: 0, gross: 0, discounts: 0, net: 0, average_ticket: 0, cost: null, margin: null, margin_percent: null, ...f,
});
const row = (key: string, label: string, f: Partial<ReportFigures>): ReportRow => ({ key, label, ...figures(f) });

/** By product: one with a known cost, one sold by weight whose cost nobody knew. */
const byProduct: SalesReport = {
  group_by: 'product',
  rows: [
    row('12', 'Café Torrado 500g', { count: 3, quantity: 4, gross: 59.6, discounts: 2.6, net: 57, average_ticket: 19, cost: 36, margin: 21, margin_percent: 36.84 }),
    row('7', 'Queijo Minas', { count: 2, quantity: 1.355, gross: 40.65, discounts: 0, net: 40.65, average_ticket: 20.33 }),
  ],
  totals: figures({ count: 4, quantity: 5.355, gross: 100.25, discounts: 2.6, net: 97.65, average_ticket: 24.41, cost: 36, margin: 21, margin_percent: 36.84 }),
};
/** By payment method the server fills only count, net and average ticket. */
const byMethod: SalesReport = {
  group_by: 'payment_method',
  rows: [
    row('debito', 'Cartão de débito', { count: 2, net: 30, average_ticket: 15 }),
    row('dinheiro', 'Dinheiro', { count: 1, net: 1234.5, average_ticket: 1234.5 }),
  ],
  totals: figures({ count: 3, net: 1264.5, average_ticket: 421.5 }),
};
const REFUSED = 'Parâmetro product_id inválido';

let fetchMock: ReturnType<typeof vi.fn>;
const clicks: string[] = [];

function reportAnswer(u: URL): Response {
  const group = u.searchParams.get('group_by');
  const format = u.searchParams.get('format');
  if (format) {
    const body = format === 'csv' ? '\ufeffGrupo;Vendas\n' : 'PK\u0003\u0004';
    return new Response(body, { status: 200, headers: { 'Content-Disposition': `attachment; filename="relatorio-${group}-2026-03-14.${format}"` } });
  }
  if (group === 'payment_method' && (u.searchParams.has('product_id') || u.searchParams.has('category_id'))) return json(400, { error: REFUSED });
  if (group === 'payment_method') return json(200, byMethod);
  if (group === 'product') return json(200, byProduct);
  return json(200, { group_by: group, rows: [], totals: figures({}) });
}

let stores: Store[];

beforeEach(() => {
  stores = [store(1)];
  // Only the clock: 14/03/2026 at noon in São Paulo. TanStack Query and the debounce keep real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-14T15:00:00Z'));
  setSession({ token: 't', user: admin });
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/stores') return json(200, stores);
    if (u.pathname === '/api/users') {
      return json(200, [
        admin,
        user(3, { username: 'maria' }),
      ]);
    }
    if (u.pathname === '/api/categories') return json(200, [{ id: 4, name: 'Mercearia', created_at: '2026-01-01T10:00:00Z', products_count: 2 }]);
    if (u.pathname === '/api/products') return json(200, { products: [product(12, { name: 'Café Torrado 500g' })], total: 1, pages: 1, current_page: 1 });
    if (u.pathname === '/api/products/12') return json(200, product(12, { name: 'Café Torrado 500g' }));
    if (u.pathname === '/api/reports/sales') return reportAnswer(u);
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:fake'), revokeObjectURL: vi.fn() }));
  clicks.length = 0;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push(this.download);
  });
});

afterEach(() => {
  vi.useRealTimers();
});

function show(address: string) {
  window.history.replaceState(null, '', address);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ReportsPage />
    </QueryClientProvider>,
  );
}

/** A real `change` event (what a select fires). */
function change(el: HTMLElement, value: string) {
  (el as HTMLInputElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').trim();
/** The report requests sent so far (not the downloads). */
const reportCalls = () => fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/reports/sales?') && !u.includes('format='));
const lastReportCall = () => reportCalls().at(-1);
const cells = (tr: Element) => [...tr.querySelectorAll('th, td')].map((c) => plain(c.textContent));

async function tableRows() {
  const table = await screen.findByTestId('report-table');
  await waitFor(() => expect(table.getAttribute('aria-busy')).toBe('false'));
  return {
    head: cells(table.querySelector('thead tr')!),
    body: [...table.querySelectorAll('tbody tr')].map(cells),
    totals: cells(screen.getByTestId('report-totals')),
  };
}

describe('the reports page', () => {
  it('asks for this month by day at first, and for what the controls say afterwards (kept in the address)', async () => {
    show('/relatorios');
    await waitFor(() => expect(lastReportCall()).toBe('/api/reports/sales?group_by=day&start_date=2026-03-01&end_date=2026-03-14'));
    await screen.findByText('Nenhuma venda para estes filtros.');

    change(screen.getByLabelText('Agrupar por'), 'product');
    // Inputs fire `input` (preact/compat reads onChange on an input as onInput, as React does).
    fireEvent.input(screen.getByLabelText('De'), { target: { value: '2026-02-01' } });
    fireEvent.input(screen.getByLabelText('Até'), { target: { value: '2026-02-28' } });
    await screen.findByRole('option', { name: 'maria' });
    change(screen.getByLabelText('Vendedor'), '3');
    await screen.findByRole('option', { name: 'Mercearia' });
    change(screen.getByLabelText('Categoria'), '4');
    fireEvent.input(screen.getByLabelText('Produto'), { target: { value: 'café' } });
    const found = await screen.findByRole('list', { name: 'Produtos encontrados' });
    fireEvent.click(within(found).getByRole('button', { name: /Café Torrado 500g/ }));

    const wanted = '/api/reports/sales?group_by=product&start_date=2026-02-01&end_date=2026-02-28&user_id=3&product_id=12&category_id=4';
    await waitFor(() => expect(lastReportCall()).toBe(wanted));
    expect(window.location.pathname).toBe('/relatorios');
    expect(window.location.search).toBe('?agrupar=produto&de=2026-02-01&ate=2026-02-28&vendedor=3&produto=12&categoria=4');
    await waitFor(() => expect(plain(screen.getByTestId('report-product-chosen').textContent)).toContain('Café Torrado 500g'));
    // The product search itself: every product, inactive ones too (their sales are in the reports).
    expect(fetchMock.mock.calls.map(([u]) => String(u))).toContain('/api/products?search=caf%C3%A9&per_page=8');

    // A preset changes the period and keeps the filters; "Todo o período" sends no dates.
    fireEvent.click(screen.getByRole('button', { name: 'Últimos 12 meses' }));
    await waitFor(() =>
      expect(lastReportCall()).toBe('/api/reports/sales?group_by=product&start_date=2025-04-01&end_date=2026-03-14&user_id=3&product_id=12&category_id=4'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Hoje' }));
    await waitFor(() => expect(lastReportCall()).toContain('start_date=2026-03-14&end_date=2026-03-14'));
    fireEvent.click(screen.getByRole('button', { name: 'Remover o filtro de produto' }));
    change(screen.getByLabelText('Vendedor'), '');
    fireEvent.click(screen.getByRole('button', { name: 'Todo o período' }));
    await waitFor(() => expect(lastReportCall()).toBe('/api/reports/sales?group_by=product&category_id=4'));
    expect(window.location.search).toBe('?agrupar=produto&de=&ate=&categoria=4');
  });

  it('with several stores, "Loja" asks for one store’s report (kept in the address, exported alike); "Todas as lojas" for the consolidated', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    show('/relatorios?agrupar=vendedor&de=2026-03-01&ate=2026-03-14');
    const filter = await screen.findByLabelText('Loja');
    expect([...(filter as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Todas as lojas', 'Loja', 'Loja Bairro']);
    change(filter, '2');
    await waitFor(() => expect(lastReportCall()).toBe('/api/reports/sales?group_by=employee&start_date=2026-03-01&end_date=2026-03-14&store_id=2'));
    expect(window.location.search).toBe('?agrupar=vendedor&de=2026-03-01&ate=2026-03-14&loja=2');
    fireEvent.click(screen.getByRole('button', { name: 'Exportar CSV' }));
    await waitFor(() => expect(fetchMock.mock.calls.map(([u]) => String(u)).some((c) => c.includes('store_id=2') && c.includes('format=csv'))).toBe(true));
    change(screen.getByLabelText('Loja'), '');
    await waitFor(() => expect(lastReportCall()).toBe('/api/reports/sales?group_by=employee&start_date=2026-03-01&end_date=2026-03-14'));
  });

  it('with one store there is no "Loja", and a link naming a store asks for the whole shop', async () => {
    show('/relatorios?agrupar=dia&de=2026-03-01&ate=2026-03-14&loja=2');
    await waitFor(() => expect(fetchMock.mock.calls.map(([u]) => String(u))).toContain('/api/stores'));
    await waitFor(() => expect(lastReportCall()).toBe('/api/reports/sales?group_by=day&start_date=2026-03-01&end_date=2026-03-14'));
    expect(screen.queryByLabelText('Loja')).toBeNull();
    expect(fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.includes('store_id'))).toEqual([]);
  });

  it('shows the report a link names: the controls, a chart of the net, the table and its totals in reais', async () => {
    show('/relatorios?agrupar=produto&de=2026-02-01&ate=2026-02-28');
    const { head, body, totals } = await tableRows();
    expect(lastReportCall()).toBe('/api/reports/sales?group_by=product&start_date=2026-02-01&end_date=2026-02-28');
    expect((screen.getByLabelText('Agrupar por') as HTMLSelectElement).value).toBe('product');
    expect((screen.getByLabelText('De') as HTMLInputElement).value).toBe('2026-02-01');
    expect((screen.getByLabelText('Até') as HTMLInputElement).value).toBe('2026-02-28');

    expect(head).toEqual(['Grupo', 'Vendas', 'Quantidade', 'Bruto', 'Descontos', 'Líquido', 'Ticket médio', 'Custo', 'Margem', 'Margem %']);
    expect(body).toEqual([
      ['Café Torrado 500g', '3', '4', 'R$ 59,60', 'R$ 2,60', 'R$ 57,00', 'R$ 19,00', 'R$ 36,00', 'R$ 21,00', '36,84%'],
      // Sold by weight (kilograms, to the gram); no known cost: no cost, margin or margin.
      ['Queijo Minas', '2', '1,355', 'R$ 40,65', 'R$ 0,00', 'R$ 40,65', 'R$ 20,33', '—', '—', '—'],
    ]);
    expect(totals).toEqual(['Total', '4', '5,355', 'R$ 100,25', 'R$ 2,60', 'R$ 97,65', 'R$ 24,41', 'R$ 36,00', 'R$ 21,00', '36,84%']);

    const chart = screen.getByTestId('report-chart');
    expect(plain(chart.querySelector('figcaption')?.textContent)).toBe('Líquido por produto');
    expect([...chart.querySelectorAll('li')].map((li) => plain(li.textContent))).toEqual(['Café Torrado 500gR$ 57,00', 'Queijo MinasR$ 40,65']);
    const widths = [...chart.querySelectorAll<HTMLElement>('li [aria-hidden] > div')].map((d) => d.style.width);
    expect(widths[0]).toBe('100%');
    expect(parseFloat(widths[1]!)).toBeCloseTo((40.65 / 57) * 100, 1);
  });

  it('by payment method shows only sales, net and average ticket (the rest is not the method’s)', async () => {
    show('/relatorios?agrupar=pagamento&de=&ate=');
    const { body, totals } = await tableRows();
    expect(lastReportCall()).toBe('/api/reports/sales?group_by=payment_method');
    expect(body).toEqual([
      ['Cartão de débito', '2', '—', '—', '—', 'R$ 30,00', 'R$ 15,00', '—', '—', '—'],
      ['Dinheiro', '1', '—', '—', '—', 'R$ 1.234,50', 'R$ 1.234,50', '—', '—', '—'],
    ]);
    expect(totals).toEqual(['Total', '3', '—', '—', '—', 'R$ 1.264,50', 'R$ 421,50', '—', '—', '—']);
  });

  it('shows the server’s refusal (400) instead of a table', async () => {
    show('/relatorios?agrupar=pagamento&de=2026-03-01&ate=2026-03-14&produto=12');
    expect(plain((await screen.findByRole('alert')).textContent)).toBe(REFUSED);
    expect(lastReportCall()).toBe('/api/reports/sales?group_by=payment_method&start_date=2026-03-01&end_date=2026-03-14&product_id=12');
    expect(screen.queryByTestId('report-table')).toBeNull();
    // Dropping the product filter asks again, and the report comes.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remover o filtro de produto' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Remover o filtro de produto' }));
    await tableRows();
    expect(screen.queryByText(REFUSED)).toBeNull();
  });

  it('a start after the end is pointed out and not asked', async () => {
    show('/relatorios?agrupar=dia&de=2026-03-10&ate=2026-03-01');
    await screen.findByText('A data inicial deve ser anterior à data final.');
    expect(reportCalls()).toEqual([]);
    expect((screen.getByRole('button', { name: 'Exportar CSV' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('"Exportar CSV" and "Exportar XLSX" download the same report, named by the server', async () => {
    show('/relatorios?agrupar=categoria&de=2026-02-01&ate=2026-02-28&vendedor=3');
    await screen.findByText('Nenhuma venda para estes filtros.');
    fireEvent.click(screen.getByRole('button', { name: 'Exportar CSV' }));
    await screen.findByText('Arquivo relatorio-category-2026-03-14.csv baixado.');
    fireEvent.click(screen.getByRole('button', { name: 'Exportar XLSX' }));
    await screen.findByText('Arquivo relatorio-category-2026-03-14.xlsx baixado.');
    const downloads = fetchMock.mock.calls.filter(([u]) => String(u).includes('format='));
    expect(downloads.map(([u]) => String(u))).toEqual([
      '/api/reports/sales?group_by=category&start_date=2026-02-01&end_date=2026-02-28&user_id=3&format=csv',
      '/api/reports/sales?group_by=category&start_date=2026-02-01&end_date=2026-02-28&user_id=3&format=xlsx',
    ]);
    expect(downloads.every(([, init]) => (init as RequestInit).headers && (init as { headers: Record<string, string> }).headers.Authorization === 'Bearer t')).toBe(true);
    expect(clicks).toEqual(['relatorio-category-2026-03-14.csv', 'relatorio-category-2026-03-14.xlsx']);
  });

  it('an export the server refuses says why', async () => {
    show('/relatorios?agrupar=pagamento&categoria=4');
    await screen.findByRole('alert');
    fetchMock.mockImplementationOnce(async () => json(400, { error: REFUSED }));
    fireEvent.click(screen.getByRole('button', { name: 'Exportar XLSX' }));
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    expect(screen.getAllByRole('alert').map((a) => plain(a.textContent))).toEqual([REFUSED, REFUSED]);
    expect(clicks).toEqual([]);
  });
});
