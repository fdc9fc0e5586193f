// The catalog and the stock end to end, against the real release binary and Debian's Chromium:
// a product created with an EAN-13 in the form and sold by scanning it; a product sold by
// weight through scale labels (weight, then price labels after the settings change); an
// unknown label's message; the inventory count by scanning; a goods entry with its cost.
// One server and one fresh database for this file; the scenarios run in order.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('catalog');
const { open } = e2e;
let token = '';

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

interface Product {
  id: number;
  name: string;
  stock: number;
  unit: string;
  barcodes: string[];
  average_cost: number | null;
}
interface Sale {
  id: number;
  total_amount: number;
  items: { product_id: number; quantity: number; unit: string; total_amount: number }[];
}
interface Movement {
  type: string;
  quantity: number;
  stock_after: number;
  unit_cost: number | null;
  supplier: string | null;
  invoice: string | null;
  user_username: string | null;
}

/** A GS1 code with its check digit. */
function withCheckDigit(payload: string): string {
  let sum = 0;
  payload
    .split('')
    .toReversed()
    .forEach((d, i) => (sum += Number(d) * (i % 2 === 0 ? 3 : 1)));
  return payload + String((10 - (sum % 10)) % 10);
}

const EAN = withCheckDigit('789100010010'); // 7891000100103
const WEIGHT_LABEL = withCheckDigit('200123000355'); // code 00123, 0,355 kg
const PRICE_LABEL = withCheckDigit('201230001234'); // mask 2CCCC0VVVVVVD: code 0123, R$ 12,34
const UNKNOWN_LABEL = withCheckDigit('209990000500');

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 3 });
  await page.keyboard.press('Enter');
}

async function atSearch(page: Page) {
  await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
}

async function productByName(name: string): Promise<Product> {
  const page = await api<{ products: Product[] }>(e2e.baseURL, token, 'GET', `/api/products?search=${encodeURIComponent(name)}`);
  const p = page.products.find((x) => x.name === name);
  if (!p) throw new Error(`produto ${name} não encontrado`);
  return p;
}

async function lastSale(): Promise<Sale> {
  const page = await api<{ sales: Sale[] }>(e2e.baseURL, token, 'GET', '/api/sales?per_page=1');
  return page.sales[0]!;
}

/** F2, cash, R$ 100 received, confirm; waits for the sale to be recorded. */
async function sellInCash(page: Page): Promise<Sale> {
  const before = (await api<{ total: number }>(e2e.baseURL, token, 'GET', '/api/sales?per_page=1')).total;
  await page.keyboard.press('F2');
  await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
  await page.keyboard.press('1');
  await page.waitForFunction(() => document.activeElement?.id === 'received');
  await page.keyboard.type('100');
  await page.getByRole('button', { name: /Confirmar venda/ }).click();
  await page.getByTestId('last-sale').waitFor();
  await atSearch(page);
  const after = await api<{ total: number }>(e2e.baseURL, token, 'GET', '/api/sales?per_page=1');
  expect(after.total).toBe(before + 1);
  return lastSale();
}

beforeAll(async () => {
  token = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  const mercearia = await api<{ id: number }>(e2e.baseURL, token, 'POST', '/api/categories', { name: 'Mercearia' });
  const frios = await api<{ id: number }>(e2e.baseURL, token, 'POST', '/api/categories', { name: 'Frios' });
  await api(e2e.baseURL, token, 'POST', '/api/products', {
    name: 'Queijo Minas', code: '123', unit: 'KG', price: '29.90', stock: 10, min_stock: 1, category_id: frios.id,
  });
  await api(e2e.baseURL, token, 'POST', '/api/products', {
    name: 'Biscoito Maizena', code: 'BISC-1', barcode: '96385074', price: '4.50', stock: 0, min_stock: 0, category_id: mercearia.id,
  });
});

describe('Catálogo e estoque no navegador', () => {
  it('a product created with an EAN-13 in the form is sold by scanning the barcode at the PDV', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByRole('button', { name: '+ Novo produto' }).click();
    await page.getByLabel('Nome *').fill('Leite Integral 1L');
    await page.getByLabel('Categoria *').selectOption({ label: 'Mercearia' });
    await page.getByLabel('Preço (R$) *').fill('5,49');
    await page.getByLabel('Preço de custo (R$)').fill('4,10');
    await page.getByLabel('Estoque inicial').fill('10');
    // A wrong check digit is refused before it reaches the server.
    await page.getByLabel('Código de barras 1', { exact: true }).fill('7891000100104');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Código de barras inválido').waitFor();
    await page.getByLabel('Código de barras 1', { exact: true }).fill(EAN);
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('status').filter({ hasText: 'cadastrado' }).waitFor();
    await page.getByRole('cell', { name: EAN }).waitFor();
    await screenshot(page, 'k01-produto-com-ean');
    const leite = await productByName('Leite Integral 1L');
    expect(leite.barcodes).toEqual([EAN]);

    // The same barcode in another active product: the server's message, next to the barcodes.
    await page.getByRole('button', { name: '+ Novo produto' }).click();
    await page.getByLabel('Nome *').fill('Leite Desnatado 1L');
    await page.getByLabel('Categoria *').selectOption({ label: 'Mercearia' });
    await page.getByLabel('Preço (R$) *').fill('5,29');
    await page.getByLabel('Código de barras 1', { exact: true }).fill(EAN);
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.locator('#product-barcodes-error').filter({ hasText: 'Código de barras já cadastrado em outro produto ativo' }).waitFor();
    await page.keyboard.press('Escape');

    await page.goto('/pdv');
    await atSearch(page);
    await scan(page, EAN);
    await page.getByLabel('Quantidade de Leite Integral 1L').waitFor();
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 5,49');
    const sale = await sellInCash(page);
    expect(sale.total_amount).toBe(5.49);
    expect((await productByName('Leite Integral 1L')).stock).toBe(9);
  });

  it('a weight label sells its weight at the price per kg; after switching to price labels, the label’s price', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/pdv');
    await atSearch(page);
    await scan(page, WEIGHT_LABEL);
    const line = page.getByTestId('line-quantity').filter({ hasText: 'kg' });
    await line.waitFor();
    expect(plain(await line.textContent())).toContain('0,355 kg × R$ 29,90');
    // 0,355 × 29,90 = 10,6145
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 10,61');
    await screenshot(page, 'k02-etiqueta-de-peso');
    const weighed = await sellInCash(page);
    expect(weighed.total_amount).toBe(10.61);
    expect(weighed.items.map((i) => [i.quantity, i.unit])).toEqual([[0.355, 'KG']]);

    await page.goto('/configuracoes');
    await page.getByLabel('Máscara da etiqueta').fill('2CCCC0VVVVVVD');
    await page.getByLabel(/^Preço \(em centavos/).check();
    await page.getByRole('button', { name: 'Salvar configurações' }).click();
    await page.getByText('Configurações salvas.').waitFor();
    const settings = await api<{ scale_label_mask: string; scale_label_value: string }>(e2e.baseURL, token, 'GET', '/api/settings');
    expect([settings.scale_label_mask, settings.scale_label_value]).toEqual(['2CCCC0VVVVVVD', 'preco']);

    await page.goto('/pdv');
    await atSearch(page);
    await scan(page, PRICE_LABEL);
    await page.getByTestId('line-quantity').filter({ hasText: 'kg' }).waitFor();
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 12,34');
    const priced = await sellInCash(page);
    expect(priced.total_amount).toBe(12.34);
    const queijo = await productByName('Queijo Minas');
    // 10 kg - 0,355 - what R$ 12,34 buys at R$ 29,90 (0,413 kg)
    expect(queijo.stock).toBe(9.232);
  });

  it('an unknown scale label shows the server’s message', async () => {
    const p = await open();
    const { page } = p;
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/pdv');
    await atSearch(page);
    await scan(page, UNKNOWN_LABEL);
    const message = page.getByText(/Etiqueta da balança com o código \d+, que não é de nenhum produto ativo/);
    await message.waitFor();
    await screenshot(page, 'k03-etiqueta-desconhecida');
    expect(await page.getByTestId('cart').count()).toBe(0);
    expect(p.httpErrors.some((e) => e.includes('404'))).toBe(true);
  });

  it('the count screen counts a product scanned three times; the history shows the count', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/estoque');
    await page.getByRole('tab', { name: 'Contagem (inventário)' }).click();
    await page.getByLabel(/Leia o código de barras de cada item/).focus();
    for (let i = 0; i < 3; i++) await scan(page, '96385074');
    await page.waitForFunction(
      () => (document.querySelector('[aria-label="Contado de Biscoito Maizena"]') as HTMLInputElement | null)?.value === '3',
    );
    expect(plain(await page.getByTestId('count-difference').textContent())).toBe('+3 un');
    await page.getByRole('button', { name: 'Confirmar contagem (1)' }).click();
    await page.getByText('Registrado: estoque 3 un').waitFor();
    await page.getByText(/Contagem confirmada: 1 produto\(s\) com a diferença registrada/).waitFor();
    await screenshot(page, 'k04-contagem');

    const biscoito = await productByName('Biscoito Maizena');
    expect(biscoito.stock).toBe(3);
    const ledger = await api<{ movements: Movement[] }>(e2e.baseURL, token, 'GET', `/api/products/${biscoito.id}/movements`);
    expect(ledger.movements[0]).toMatchObject({ type: 'contagem', quantity: 3, stock_after: 3, user_username: 'admin' });

    await page.goto(`/produtos/${biscoito.id}/movimentos`);
    const row = page.locator('[data-testid="movements-table"] tr[data-type="contagem"]');
    await row.waitFor();
    expect(plain(await row.textContent())).toMatch(/Contagem\s?\+3 un\s?3 un\s?admin/);
  });

  it('a goods entry with its unit cost raises the stock and sets the average cost', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/estoque');
    await page.getByLabel(/^Produto \(nome, código ou código de barras\)/).fill('BISC-1');
    await page.keyboard.press('Enter');
    await page.getByTestId('entry-product-chosen').filter({ hasText: 'Biscoito Maizena' }).waitFor();
    await page.getByLabel(/^Quantidade/).fill('12');
    await page.getByLabel('Custo unitário (R$) *').fill('2,50');
    await page.getByLabel('Fornecedor').fill('Distribuidora Sul');
    await page.getByLabel('Nota fiscal').fill('NF 12345');
    await page.getByRole('button', { name: 'Registrar entrada' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Entrada registrada' });
    await done.waitFor();
    expect(plain(await done.textContent())).toContain('agora tem 15 un');
    await screenshot(page, 'k05-entrada');

    const biscoito = await productByName('Biscoito Maizena');
    expect(biscoito.stock).toBe(15);
    // The 3 units counted had no cost: the server values them at the entry's cost.
    expect(biscoito.average_cost).toBe(2.5);
    expect(plain(await done.textContent())).toContain('custo médio R$ 2,50');
    const ledger = await api<{ movements: Movement[] }>(e2e.baseURL, token, 'GET', `/api/products/${biscoito.id}/movements`);
    expect(ledger.movements[0]).toMatchObject({ type: 'entrada', quantity: 12, stock_after: 15, unit_cost: 2.5, supplier: 'Distribuidora Sul', invoice: 'NF 12345' });
  });
});
