// Stock and prices per store end to end, against the real binary and Debian's Chromium: the
// administrator sends 10 units from Loja to Loja Bairro on the Transferências page (they leave
// Loja at once and are in transit), the employee of Loja Bairro finds the page in her menu and
// receives them; the administrator gives Loja Bairro its own price in the product's form; the
// employee sells there at that price (cart and receipt) from her store's stock only. What was
// recorded is checked through the API. One server and one fresh database for the file; the
// scenarios run in order and build on each other.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, payInCashWithKeyboard, screenshot } from './browser';

const e2e = e2eSuite('store-stock');
const { open } = e2e;

const shared = { admin: '', bia: '', product: 0, bairro: 0 };
const get = <T>(path: string) => api<T>(e2e.baseURL, shared.admin, 'GET', path);
const stockIn = async (store: number) => (await get<{ stock: number }>(`/api/products/${shared.product}?store_id=${store}`)).stock;

beforeAll(async () => {
  shared.admin = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  const category = await api<{ id: number }>(e2e.baseURL, shared.admin, 'POST', '/api/categories', { name: 'Mercearia' });
  const product = { name: 'Café Torrado 500g', code: 'CAFE-1', price: '14.99', stock: 100, category_id: category.id, min_stock: 0 };
  shared.product = (await api<{ id: number }>(e2e.baseURL, shared.admin, 'POST', '/api/products', product)).id;
  shared.bairro = (await api<{ id: number }>(e2e.baseURL, shared.admin, 'POST', '/api/stores', { name: 'Loja Bairro' })).id;
  const bia = { username: 'bia', password: 'senha123', role: 'funcionario', store_ids: [shared.bairro] };
  await api(e2e.baseURL, shared.admin, 'POST', '/api/users', bia);
  shared.bia = await apiLogin(e2e.baseURL, 'bia', 'senha123');
  await api(e2e.baseURL, shared.bia, 'POST', '/api/cash-sessions', { opening_float: 0 });
});

describe('Estoque e preço por loja no navegador', () => {
  it('the administrator sends 10 units to Loja Bairro: they leave Loja at once and travel in transit', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('link', { name: 'Transferências' }).click();
    await page.getByLabel('Para (destino)').selectOption(String(shared.bairro));
    await page.getByLabel(/^Produto/).fill('CAFE-1');
    await page.getByLabel(/^Produto/).press('Enter');
    await page.getByTestId('transfer-product-chosen').filter({ hasText: 'estoque 100' }).waitFor();
    await page.getByLabel(/^Quantidade/).fill('10');
    await page.getByRole('button', { name: 'Adicionar' }).click();
    await page.getByRole('button', { name: 'Enviar transferência' }).click();
    await page.getByText(/Transferência nº 1 enviada: 10 un de Café Torrado 500g saíram de .+ e estão em trânsito para Loja Bairro/).waitFor();
    await page.getByTestId('transfer-1').getByText('Em trânsito').waitFor();
    await screenshot(page, 'store-stock-sent');
    expect([await stockIn(1), await stockIn(shared.bairro)]).toEqual([90, 0]);
  });

  it('the employee of Loja Bairro finds the transfer in her menu and receives it: 10 units there, Loja unchanged', async () => {
    const { page } = await open();
    await loginUI(page, 'bia', 'senha123');
    await page.getByRole('link', { name: 'Transferências' }).click();
    const row = page.getByTestId('transfer-1');
    expect(await row.getByRole('button', { name: 'Cancelar' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Receber' }).click();
    await page.getByText('Transferência nº 1 recebida em Loja Bairro').waitFor();
    await row.getByText('Recebida').waitFor();
    expect([await stockIn(1), await stockIn(shared.bairro)]).toEqual([90, 10]);
    const moves = await get<{ movements: { reason: string; store_id: number; quantity: number; transfer_id: number | null }[] }>(`/api/products/${shared.product}/movements`);
    expect(moves.movements.filter((m) => m.transfer_id === 1).map((m) => [m.store_id, m.quantity]).toSorted()).toEqual([[1, -10], [shared.bairro, 10]].toSorted());
  });

  it('the administrator gives Loja Bairro its own price in the product form; Loja keeps the catalog’s', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByRole('button', { name: /Editar Café Torrado 500g/ }).click();
    const price = page.getByLabel('Loja Bairro (R$)');
    await price.fill('13,50');
    await page.getByRole('button', { name: 'Salvar preço em Loja Bairro' }).click();
    await page.getByText('Preço salvo.').waitFor();
    const prices = await get<{ product_id: number; price: number }[]>(`/api/stores/${shared.bairro}/prices`);
    expect(prices).toEqual([expect.objectContaining({ product_id: shared.product, price: 13.5 })]);
    expect((await get<{ price: number }>(`/api/products/${shared.product}?store_id=1`)).price).toBe(14.99);
  });

  it('the employee sells at Loja Bairro at its price, cart and receipt, from its stock only', async () => {
    const { page } = await open();
    await loginUI(page, 'bia', 'senha123');
    await page.goto('/pdv');
    await page.getByTestId('catalog-status').filter({ hasText: 'Catálogo local: 1 produtos' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
    await page.keyboard.type('CAFE-1', { delay: 3 });
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-total').filter({ hasText: '13,50' }).waitFor();
    await payInCashWithKeyboard(page);
    const sales = await get<{ sales: { id: number; store_id: number; total_amount: number }[] }>('/api/sales?per_page=10');
    expect(sales.sales.map((s) => [s.store_id, s.total_amount])).toEqual([[shared.bairro, 13.5]]);
    await page.goto(`/vendas/${sales.sales[0]!.id}/recibo`);
    await page.getByTestId('receipt-store').filter({ hasText: 'Loja Bairro' }).waitFor();
    expect(await page.getByText('13,50').count()).toBeGreaterThan(0);
    expect(await page.getByText('14,99').count()).toBe(0);
    await screenshot(page, 'store-stock-receipt');
    expect([await stockIn(1), await stockIn(shared.bairro)]).toEqual([90, 9]);
  });
});
