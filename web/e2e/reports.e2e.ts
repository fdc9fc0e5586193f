// Sales reports end to end, against the real binary and Debian's Chromium. Seeded through the API:
// four products in two categories (one sold by weight, one without a known cost), sales by two
// employees paid in cash, debit, PIX, credit and a debit + PIX split, one sale cancelled and one
// partly returned. The administrator opens Relatórios from the menu: by day, product, category,
// seller and payment method the table shows exactly what GET /api/reports/sales answers, and
// the total net is what the sales that stand came to (total − refunded, from GET /api/sales);
// the seller filter narrows the table as the API does and survives a reload (the address holds
// the report); the API's refusal of a payment-method report filtered by category is shown; the
// CSV (BOM, the header) and XLSX (a ZIP: `PK`) downloads are that report; the sales page
// exports XLSX too; a product found by name filters the report. It fits a phone screen;
// employees cannot open it. One server and one fresh database for this file; the scenarios run
// in order and build on each other.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('reports');
const { open } = e2e;

const TZ = 'America/Sao_Paulo';
const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
const cents = (v: number) => Math.round(v * 100);

interface Figures {
  count: number;
  quantity: number;
  gross: number;
  discounts: number;
  net: number;
  average_ticket: number;
  cost: number | null;
  margin: number | null;
  margin_percent: number | null;
}
interface Report {
  group_by: string;
  rows: (Figures & { key: string; label: string })[];
  totals: Figures;
}
interface Sale {
  id: number;
  user_id: number;
  status: string;
  total_amount: number;
  refunded_amount: number;
  items: { id: number; product_id: number; quantity: number }[];
}

// The table's cells as a person reads them, written here from the API's numbers (independently
// of the page's code): reais, quantities to the gram, "—" for an unknown cost and, by payment
// method, for what the server leaves at 0.
const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
const quantity = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 3 });
const percent = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const money = (v: number | null) => (v === null ? '—' : brl.format(v));
function cellsOf(label: string, f: Figures, byMethod: boolean): string[] {
  const only = (s: string) => (byMethod ? '—' : s);
  return [
    label,
    String(f.count),
    only(quantity.format(f.quantity)),
    only(money(f.gross)),
    only(money(f.discounts)),
    money(f.net),
    money(f.average_ticket),
    only(money(f.cost)),
    only(money(f.margin)),
    only(f.margin_percent === null ? '—' : `${percent.format(f.margin_percent)}%`),
  ].map(plain);
}
const expectedTable = (r: Report) => ({
  rows: r.rows.map((row) => cellsOf(row.label, row, r.group_by === 'payment_method')),
  totals: cellsOf('Total', r.totals, r.group_by === 'payment_method'),
});

/** Today in the business zone, "2026-03-14". */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const shared = { token: '', maria: 0, joao: 0, bebidas: 0, period: '' };
const get = <T>(path: string) => api<T>(e2e.baseURL, shared.token, 'GET', path);

/** The report request the page sends next (not a download). */
function nextReport(page: Page, match: (q: URLSearchParams) => boolean = () => true) {
  return page.waitForResponse((r) => {
    const u = new URL(r.url());
    return u.pathname === '/api/reports/sales' && !u.searchParams.has('format') && match(u.searchParams);
  });
}

type Shown = { head: string[]; rows: string[][]; totals: string[] };

/** The table once it shows the answer to `group` (no request in flight) and, with `until`, once
 * it shows what that says (the answer to a filter of the same grouping replaces the rows in place). */
async function readTable(page: Page, group: string, until: (t: Shown) => boolean = () => true): Promise<Shown> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await page.waitForFunction(
      (g) => {
        const t = document.querySelector('[data-testid="report-table"]');
        return !!t && t.getAttribute('data-group') === g && t.getAttribute('aria-busy') === 'false';
      },
      group,
      { timeout: 10_000 },
    );
    const shown = await tableText(page);
    if (until(shown) || Date.now() > deadline) return shown;
    await page.waitForTimeout(50);
  }
}

function tableText(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const table = document.querySelector('[data-testid="report-table"]')!;
    const lines = [table.querySelector('thead tr')!, ...table.querySelectorAll('tbody tr'), table.querySelector('[data-testid="report-totals"]')!].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()),
    );
    return { head: lines[0]!, rows: lines.slice(1, -1), totals: lines.at(-1)! };
  });
}

/** Chooses a grouping and checks the table against the API's answer to the same request. */
async function groupAndCompare(page: Page, group: string, extra: Record<string, string> = {}) {
  const answered = nextReport(page, (q) => q.get('group_by') === group);
  await page.getByLabel('Agrupar por').selectOption(group);
  const res = await answered;
  const sent = new URL(res.url()).searchParams;
  expect(Object.fromEntries(sent)).toEqual({ group_by: group, ...periodParams(), ...extra });
  const report = await get<Report>(`/api/reports/sales?${sent.toString()}`);
  const shown = await readTable(page, group);
  expect(shown.head).toEqual(['Grupo', 'Vendas', 'Quantidade', 'Bruto', 'Descontos', 'Líquido', 'Ticket médio', 'Custo', 'Margem', 'Margem %']);
  expect({ rows: shown.rows, totals: shown.totals }).toEqual(expectedTable(report));
  return { report, shown };
}

/** This month so far: the page's default period. */
function periodParams() {
  const t = today();
  return { start_date: `${t.slice(0, 8)}01`, end_date: t };
}

/** What the sales that stand came to, in cents: total − refunded, cancelled ones left out. */
async function standingNet(userId?: number): Promise<{ cents: number; count: number }> {
  const page = await get<{ sales: Sale[] }>(`/api/sales?per_page=100${userId ? `&user_id=${userId}` : ''}`);
  const standing = page.sales.filter((s) => s.status !== 'cancelada');
  return { cents: standing.reduce((sum, s) => sum + cents(s.total_amount) - cents(s.refunded_amount), 0), count: standing.length };
}

async function downloaded(page: Page, button: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { download, bytes: readFileSync((await download.path())!) };
}

beforeAll(async () => {
  const token = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  shared.token = token;
  const post = <T>(path: string, body: unknown, as = token) => api<T>(e2e.baseURL, as, 'POST', path, body);
  const bebidas = await post<{ id: number }>('/api/categories', { name: 'Bebidas' });
  const mercearia = await post<{ id: number }>('/api/categories', { name: 'Mercearia' });
  shared.bebidas = bebidas.id;
  const product = (name: string, price: string, category_id: number, extra: Record<string, unknown> = {}) =>
    post<{ id: number }>('/api/products', { name, price, stock: 100, min_stock: 0, category_id, ...extra });
  const cola = (await product('Refrigerante Cola 2L', '9.90', bebidas.id, { cost_price: '5.00' })).id;
  const agua = (await product('Água Mineral 500ml', '2.50', bebidas.id, { cost_price: '1.00' })).id;
  const arroz = (await product('Arroz Tipo 1 5kg', '25.90', mercearia.id)).id; // no known cost
  const queijo = (await product('Queijo Minas', '49.90', mercearia.id, { unit: 'KG', cost_price: '30.00' })).id;
  shared.maria = (await post<{ id: number }>('/api/users', { username: 'maria', password: 'maria123', role: 'funcionario' })).id;
  shared.joao = (await post<{ id: number }>('/api/users', { username: 'joao', password: 'joao1234', role: 'funcionario' })).id;
  // Employees may give up to 10% off (joao's sale below gives R$ 1,00 of R$ 17,40).
  await api(e2e.baseURL, token, 'PUT', '/api/settings', { max_discount_percent: '10' });
  const maria = await apiLogin(e2e.baseURL, 'maria', 'maria123');
  const joao = await apiLogin(e2e.baseURL, 'joao', 'joao1234');

  // maria: cash (partly returned below), debit with a weighed product, a debit + PIX split.
  const s1 = await post<Sale>('/api/sales', { items: [{ product_id: cola, quantity: 2 }, { product_id: agua, quantity: 1 }], payment_method: 'dinheiro' }, maria);
  await post<Sale>('/api/sales', { items: [{ product_id: arroz, quantity: 1 }, { product_id: queijo, quantity: 0.355 }], payment_method: 'debito' }, maria);
  await post<Sale>(
    '/api/sales',
    { items: [{ product_id: cola, quantity: 1 }, { product_id: arroz, quantity: 1 }], payments: [{ method: 'debito', amount: '20.00' }, { method: 'pix', amount: '15.80' }] },
    maria,
  );
  // joao: PIX with a discount on the sale; credit (cancelled below).
  await post<Sale>('/api/sales', { items: [{ product_id: agua, quantity: 3 }, { product_id: cola, quantity: 1 }], discount_amount: '1.00', payment_method: 'pix' }, joao);
  const s5 = await post<Sale>('/api/sales', { items: [{ product_id: arroz, quantity: 2 }], payment_method: 'credito' }, joao);

  await post<Sale>(`/api/sales/${s5.id}/cancel`, { reason: 'cliente desistiu' });
  const colaLine = s1.items.find((i) => i.product_id === cola)!;
  const back = await post<Sale>(`/api/sales/${s1.id}/returns`, { items: [{ sale_item_id: colaLine.id, quantity: 1 }], reason: 'amassado', refund_method: 'dinheiro' });
  if (back.refunded_amount !== 9.9) throw new Error(`a devolução devolveu ${back.refunded_amount}, não 9,90`);
});

describe('Relatórios no navegador', () => {
  it('by day, product, category, seller and payment method the table is the API’s report, and the net is the sales that stand', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    const first = nextReport(page, (q) => q.get('group_by') === 'day');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Relatórios' }).click();
    await page.waitForURL((u) => u.pathname === '/relatorios');
    await first;
    const standing = await standingNet();
    expect(standing.count).toBe(4);
    // 2 × 9,90 + 2,50 − 9,90 returned; 25,90 + 17,71 (0,355 kg × 49,90); 35,80; 4 × … − 1,00.
    expect(standing.cents).toBe(1240 + 4361 + 3580 + 1640);

    // By day (the default): today's row; every sale that stands, and what they came to.
    const byDay = await readTable(page, 'day');
    const dayReport = await get<Report>(`/api/reports/sales?group_by=day&${new URLSearchParams(periodParams())}`);
    expect({ rows: byDay.rows, totals: byDay.totals }).toEqual(expectedTable(dayReport));
    const [y, m, d] = today().split('-');
    expect(byDay.rows.map((r) => r[0])).toEqual([`${d}/${m}/${y}`]);
    expect(dayReport.totals.count).toBe(standing.count);
    expect(cents(dayReport.totals.net)).toBe(standing.cents);
    expect(byDay.totals[5]).toBe(plain(brl.format(standing.cents / 100)));
    expect(await page.getByTestId('report-chart').locator('rect').count()).toBe(1);
    await screenshot(page, 'relatorios-01-dia');

    const byProduct = await groupAndCompare(page, 'product');
    expect(byProduct.shown.rows.map((r) => r[0]).toSorted()).toEqual(['Arroz Tipo 1 5kg', 'Queijo Minas', 'Refrigerante Cola 2L', 'Água Mineral 500ml'].toSorted());
    expect(cents(byProduct.report.totals.net)).toBe(standing.cents);
    // The weighed product's quantity in kilograms; the rice has no known cost.
    expect(byProduct.shown.rows.find((r) => r[0] === 'Queijo Minas')![2]).toBe('0,355');
    expect(byProduct.shown.rows.find((r) => r[0] === 'Arroz Tipo 1 5kg')!.slice(7)).toEqual(['—', '—', '—']);
    await screenshot(page, 'relatorios-02-produto');

    const byCategory = await groupAndCompare(page, 'category');
    expect(byCategory.shown.rows.map((r) => r[0]).toSorted()).toEqual(['Bebidas', 'Mercearia']);
    expect(cents(byCategory.report.totals.net)).toBe(standing.cents);

    const byEmployee = await groupAndCompare(page, 'employee');
    expect(byEmployee.shown.rows.map((r) => r[0]).toSorted()).toEqual(['joao', 'maria']);
    expect(cents(byEmployee.report.totals.net)).toBe(standing.cents);
    expect(byEmployee.report.totals.count).toBe(standing.count);

    const byMethod = await groupAndCompare(page, 'payment_method');
    // The cancelled credit sale is nowhere; the return came out of the cash.
    expect(byMethod.shown.rows.map((r) => r[0]).toSorted()).toEqual(['Cartão de débito', 'Dinheiro', 'Pix']);
    expect(cents(byMethod.report.totals.net)).toBe(standing.cents);
    expect(byMethod.shown.totals.slice(2, 5)).toEqual(['—', '—', '—']);
    await screenshot(page, 'relatorios-03-pagamento');
  });

  it('the seller filter narrows the table as the API does, and the address keeps the report over a reload', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/relatorios?agrupar=produto');
    await readTable(page, 'product');
    const all = await get<Report>(`/api/reports/sales?group_by=product&${new URLSearchParams(periodParams())}`);

    const answered = nextReport(page, (q) => q.get('user_id') === String(shared.maria));
    await page.getByLabel('Vendedor').selectOption({ label: 'maria' });
    const sent = new URL((await answered).url()).searchParams;
    expect(Object.fromEntries(sent)).toEqual({ group_by: 'product', ...periodParams(), user_id: String(shared.maria) });
    const mine = await get<Report>(`/api/reports/sales?${sent.toString()}`);
    const wanted = expectedTable(mine);
    const shown = await readTable(page, 'product', (t) => JSON.stringify(t.totals) === JSON.stringify(wanted.totals));
    expect({ rows: shown.rows, totals: shown.totals }).toEqual(wanted);
    const hers = await standingNet(shared.maria);
    expect(cents(mine.totals.net)).toBe(hers.cents);
    expect(hers.cents).toBeLessThan(cents(all.totals.net));
    // joao's water-only sale is gone: maria sold one water, joao three.
    expect(shown.rows.find((r) => r[0] === 'Água Mineral 500ml')![2]).toBe('1');
    expect(new URL(page.url()).searchParams.get('vendedor')).toBe(String(shared.maria));

    await page.reload();
    const again = await readTable(page, 'product');
    expect(again).toEqual(shown);
    expect(await page.getByLabel('Vendedor').inputValue()).toBe(String(shared.maria));
    await screenshot(page, 'relatorios-04-vendedor');
  });

  it('"Exportar CSV" and "Exportar XLSX" download that report; the sales page exports XLSX too', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto(`/relatorios?agrupar=produto&vendedor=${shared.maria}`);
    const shown = await readTable(page, 'product');

    const csv = await downloaded(page, 'Exportar CSV');
    expect(csv.download.suggestedFilename()).toBe(`relatorio-product-${today()}.csv`);
    const text = csv.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // BOM: Excel reads UTF-8
    const lines = text.slice(1).split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toBe('Grupo;Vendas;Quantidade;Bruto;Descontos;Líquido;Ticket médio;Custo;Margem;Margem %');
    // The same rows as the table (maria's), then the total.
    expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual([...shown.rows.map((r) => r[0]), 'Total']);
    await page.getByRole('status').filter({ hasText: `relatorio-product-${today()}.csv baixado` }).waitFor();

    const xlsx = await downloaded(page, 'Exportar XLSX');
    expect(xlsx.download.suggestedFilename()).toMatch(/^relatorio-product-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a ZIP: the XLSX container
    expect(xlsx.bytes.length).toBeGreaterThan(1000);
    await page.getByRole('status').filter({ hasText: '.xlsx baixado' }).waitFor();

    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Vendas' }).click();
    await page.getByTestId('sales-table').waitFor();
    const sales = await downloaded(page, 'Exportar XLSX');
    expect(sales.download.suggestedFilename()).toMatch(/^vendas-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(sales.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('a payment-method report filtered by category: what the sales that had those products paid', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/relatorios?agrupar=categoria');
    await readTable(page, 'category');
    const filtered = nextReport(page, (q) => q.get('category_id') === String(shared.bebidas));
    await page.getByLabel('Categoria').selectOption({ label: 'Bebidas' });
    expect((await filtered).status()).toBe(200);
    await readTable(page, 'category');
    const { report } = await groupAndCompare(page, 'payment_method', { category_id: String(shared.bebidas) });
    // Every sale with a drink, each once, and what it paid, whatever else it had.
    const all = await get<Report>('/api/reports/sales?group_by=payment_method');
    expect(report.totals.count).toBeGreaterThan(0);
    expect(report.totals.count).toBeLessThanOrEqual(all.totals.count);
    await screenshot(page, 'relatorios-05-pagamento-por-categoria');
  });

  it('a product found by name filters the report as the API does', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/relatorios?agrupar=vendedor');
    await readTable(page, 'employee');
    await page.getByLabel('Produto').fill('queijo');
    const answered = nextReport(page, (q) => q.has('product_id'));
    await page.getByRole('list', { name: 'Produtos encontrados' }).getByRole('button', { name: /Queijo Minas/ }).click();
    const sent = new URL((await answered).url()).searchParams;
    const report = await get<Report>(`/api/reports/sales?${sent.toString()}`);
    const wanted = expectedTable(report);
    const shown = await readTable(page, 'employee', (t) => JSON.stringify(t.totals) === JSON.stringify(wanted.totals));
    expect({ rows: shown.rows, totals: shown.totals }).toEqual(wanted);
    // Only maria sold cheese: 0,355 kg of it.
    expect(shown.rows.map((r) => [r[0], r[2]])).toEqual([['maria', '0,355']]);
    expect(plain(await page.getByTestId('report-product-chosen').textContent())).toContain('Queijo Minas');
  });

  it('fits a phone screen: the wide table scrolls inside its card, the page does not', async () => {
    const { page } = await open({ width: 390, height: 844 });
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/relatorios?agrupar=produto');
    await readTable(page, 'product');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'relatorios-06-celular');
  });

  it('employees do not see Relatórios, and the address sends them to the PDV', async () => {
    const { page } = await open();
    await loginUI(page, 'maria', 'maria123');
    expect(await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Relatórios' }).count()).toBe(0);
    await page.goto('/relatorios');
    await page.waitForURL((u) => u.pathname === '/pdv');
    const res = await fetch(`${e2e.baseURL}/api/reports/sales?group_by=day`, {
      headers: { Authorization: `Bearer ${await apiLogin(e2e.baseURL, 'maria', 'maria123')}` },
    });
    expect(res.status).toBe(403);
  });
});
