// The demo shop (`sistema-vendas demo` on an empty database, before the server starts), end to
// end against the real binary and Debian's Chromium: the administrator's dashboard shows the
// sales, the products page the catalog with its barcodes, the sales page the sales; a cashier of
// the demo sells a demo product at the PDV by scanning its barcode. What is expected is read from
// the API, not from the demo's names, so that a change to the demo data does not break this file.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

// `sistema-vendas demo` fills the database before the server starts: give the hook time.
const e2e = e2eSuite('demo', { demo: true, timeout: 180_000 });
const { open } = e2e;
let adminToken = '';

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
const brl = (value: number) => plain(new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(value));

interface Product {
  id: number;
  name: string;
  price: number;
  stock: number;
  unit: string;
  active: boolean;
  barcode: string | null;
  barcodes: string[];
}
interface ProductPage {
  products: Product[];
  total: number;
}
interface Sale {
  id: number;
  user_username: string;
  total_amount: number;
  items: { product_id: number; quantity: number }[];
}
interface SalePage {
  sales: Sale[];
  total: number;
  total_amount: number;
}
interface Summary {
  total_sales: number;
  total_count: number;
  month_sales: number;
  top_products: { name: string; total_sold: number }[];
}

const get = <T>(path: string, token = adminToken) => api<T>(e2e.baseURL, token, 'GET', path);

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 3 });
  await page.keyboard.press('Enter');
}

async function atSearch(page: Page) {
  await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
}

beforeAll(async () => {
  adminToken = await apiLogin(e2e.baseURL, 'admin', 'admin123');
});

describe('A loja de demonstração', () => {
  it('the administrator’s dashboard shows the demo’s sales, best sellers and low stock', async () => {
    const summary = await get<Summary>('/api/sales/reports/summary');
    expect(summary.total_count).toBeGreaterThan(0);
    expect(summary.total_sales).toBeGreaterThan(0);
    expect(summary.top_products.length).toBeGreaterThan(0);

    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    const total = page.locator('.card').filter({ hasText: 'Total vendido' });
    await total.waitFor();
    expect(plain(await total.textContent())).toContain(brl(summary.total_sales));
    expect(plain(await total.textContent())).toContain(`${summary.total_count} venda(s)`);
    const month = page.locator('.card').filter({ hasText: 'Vendas do mês' });
    expect(plain(await month.textContent())).toContain(brl(summary.month_sales));
    const top = page.locator('section', { hasText: 'Mais vendidos' });
    expect(plain(await top.textContent())).toContain(plain(summary.top_products[0]!.name));

    // The low-stock list is the API's, whatever the demo left below its minimum.
    const low = await get<ProductPage>('/api/products?low_stock=true&per_page=10');
    const lowList = page.locator('section', { has: page.getByRole('heading', { name: 'Estoque baixo' }) });
    const lowExpected = low.products.length > 0 ? low.products.map((p) => plain(p.name)) : ['Nenhum produto com estoque baixo.'];
    await expect
      .poll(async () => {
        const shown = plain(await lowList.textContent());
        return lowExpected.filter((t) => !shown.includes(t));
      })
      .toEqual([]);
    await screenshot(page, 'demo01-painel');
  });

  it('the products page lists the catalog, with barcodes', async () => {
    const all = await get<ProductPage>('/api/products?per_page=1');
    expect(all.total).toBeGreaterThanOrEqual(250);
    // The page shows the active products, 20 a page.
    const first = await get<ProductPage>('/api/products?page=1&per_page=20&active=true');
    const withBarcode = first.products.filter((p) => p.barcode);
    expect(withBarcode.length).toBeGreaterThan(0);

    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByTestId('products-table').waitFor();
    expect(plain(await page.getByRole('navigation', { name: 'Paginação' }).textContent())).toContain(`${first.total} registro(s)`);
    expect(await page.locator('[data-testid="products-table"] tbody tr').count()).toBe(first.products.length);
    for (const p of withBarcode.slice(0, 3)) await page.getByRole('cell', { name: p.barcode!, exact: true }).waitFor();
    await screenshot(page, 'demo02-produtos');
  });

  it('the sales page lists the demo’s sales', async () => {
    const sales = await get<SalePage>('/api/sales?per_page=20');
    expect(sales.total).toBeGreaterThan(20);

    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/vendas');
    await page.getByTestId('sales-table').waitFor();
    expect(await page.locator('[data-testid="sales-table"] tbody tr').count()).toBe(20);
    const newest = sales.sales[0]!;
    const row = page.locator(`[data-testid="sales-table"] tr[data-sale-id="${newest.id}"]`);
    expect(plain(await row.textContent())).toContain(newest.user_username);
    expect(plain(await row.textContent())).toContain(brl(newest.total_amount));
    expect(plain(await page.getByTestId('sales-totals').textContent())).toMatch(new RegExp(`Vendas no período\\s*${sales.total}(?!\\d)`));
    expect(plain(await page.getByTestId('sales-totals').textContent())).toContain(`Total do período${brl(sales.total_amount)}`);
    await screenshot(page, 'demo03-vendas');
  });

  it('a cashier of the demo sells a demo product by scanning its barcode, paid in cash', async () => {
    const mariaToken = await apiLogin(e2e.baseURL, 'maria', 'caixa123');
    const catalog = await get<ProductPage>('/api/products?per_page=100&active=true', mariaToken);
    const product = catalog.products.find((p) => p.unit === 'UN' && p.barcode && p.stock >= 2 && p.price < 100);
    if (!product) throw new Error('nenhum produto da demonstração com código de barras, vendido por unidade e com estoque');
    const before = await get<SalePage>('/api/sales?per_page=1', mariaToken);

    const { page } = await open();
    await loginUI(page, 'maria', 'caixa123');
    await page.goto('/pdv');
    await atSearch(page);
    await scan(page, product.barcode!);
    await page.getByLabel(`Quantidade de ${product.name}`).waitFor();
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe(brl(product.price));
    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('1');
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    await page.keyboard.type('100');
    await page.getByRole('button', { name: /Confirmar venda/ }).click();
    const lastSale = page.getByTestId('last-sale');
    await lastSale.waitFor();
    await screenshot(page, 'demo04-venda-no-pdv');

    const after = await get<SalePage>('/api/sales?per_page=1', mariaToken);
    expect(after.total).toBe(before.total + 1);
    const sale = after.sales[0]!;
    expect(sale.user_username).toBe('maria');
    expect(sale.total_amount).toBe(product.price);
    expect(sale.items.map((i) => [i.product_id, i.quantity])).toEqual([[product.id, 1]]);
    expect(plain(await lastSale.textContent())).toContain(brl(100 - product.price));
    expect((await get<Product>(`/api/products/${product.id}`)).stock).toBe(product.stock - 1);

    // The sale is the first of "Minhas vendas".
    await page.goto('/vendas');
    const row = page.locator(`[data-testid="sales-table"] tr[data-sale-id="${sale.id}"]`);
    await row.waitFor();
    expect(plain(await row.textContent())).toContain(brl(product.price));
    expect(plain(await page.locator('[data-testid="sales-table"] tbody tr').first().getAttribute('data-sale-id'))).toBe(String(sale.id));
  });
});
