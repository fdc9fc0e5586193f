// What is each store's own, end to end against the real binary and Debian's Chromium: the
// administrator gives "Loja Bairro" its CNPJ, address and PIX key in Configurações (a bad CNPJ is
// refused under its field); bia, of that store only, opens her cash at its registered terminal
// and sells with PIX to the store's key, and the sale's receipt prints the store's data; the
// dashboard and the audit log, filtered by store, show only that store's. One server and one
// fresh database for the file; the scenarios run in order and build on each other.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('per-store');
const { open } = e2e;

const shared = { admin: '', bairro: 0, terminal: 0, saleId: 0 };
const get = <T>(path: string) => api<T>(e2e.baseURL, shared.admin, 'GET', path);
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  shared.admin = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  const admin = (method: string, path: string, body?: unknown) => api<{ id: number }>(e2e.baseURL, shared.admin, method, path, body);
  await admin('PUT', '/api/settings', {
    shop_name: 'Mercadinho Boa Vista',
    shop_cnpj: '11.222.333/0001-81',
    shop_address: 'Rua A, 1 — Centro',
    pix_key: 'loja@example.com',
    pix_merchant_name: 'Mercadinho Boa Vista',
    pix_merchant_city: 'Campinas',
  });
  const category = await admin('POST', '/api/categories', { name: 'Mercearia' });
  const cafe = await admin('POST', '/api/products', { name: 'Café Torrado 500g', code: 'CAFE-1', price: '14.99', stock: 100, category_id: category.id, min_stock: 0 });
  shared.bairro = (await admin('POST', '/api/stores', { name: 'Loja Bairro' })).id;
  await admin('POST', '/api/stock/adjustments', { product_id: cafe.id, quantity: 50, reason: 'Estoque inicial', store_id: shared.bairro });
  shared.terminal = (await admin('POST', '/api/terminals', { store_id: shared.bairro, name: 'Caixa Bairro 1' })).id;
  await admin('POST', '/api/users', { username: 'bia', password: 'bia12345', role: 'funcionario', store_ids: [shared.bairro] });
  // A sale in store 1, for the filters to leave out.
  await admin('POST', '/api/sales', { items: [{ product_id: cafe.id, quantity: 2 }], payment_method: 'dinheiro', store_id: 1 });
});

describe('O que é de cada loja, no navegador', () => {
  it('the administrator gives Loja Bairro its own CNPJ, address and PIX key; what is left empty is the shop’s', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('link', { name: 'Configurações' }).click();
    const data = page.getByTestId(`store-data-${shared.bairro}`);
    await data.locator('summary').click();
    const cnpj = data.getByLabel('CNPJ');
    await cnpj.waitFor();
    // The shop's, as a placeholder: what the store prints while it has none of its own.
    expect(await cnpj.getAttribute('placeholder')).toBe('11.222.333/0001-81');
    expect(await data.getByLabel('Cidade do recebedor Pix').getAttribute('placeholder')).toBe('Campinas');
    expect(await page.getByTestId('store-data-1').count()).toBe(1);

    await cnpj.fill('11.444.777/0001-62');
    await data.getByLabel('Endereço', { exact: true }).fill('Av. B, 200 — Bairro');
    await data.getByLabel('Chave Pix').fill('+5511912345678');
    await data.getByRole('button', { name: 'Salvar dados de Loja Bairro' }).click();
    await data.locator(`#store-${shared.bairro}-shop_cnpj[aria-invalid="true"]`).waitFor();
    expect(await data.locator(`#store-${shared.bairro}-shop_cnpj-error`).textContent()).toMatch(/^CNPJ inválido/);
    expect(Object.values(await get<Record<string, unknown>>(`/api/stores/${shared.bairro}/settings`)).every((v) => v === null)).toBe(true);

    await cnpj.fill('11444777000161');
    await data.getByRole('button', { name: 'Salvar dados de Loja Bairro' }).click();
    await data.getByRole('status').filter({ hasText: 'Dados de Loja Bairro salvos.' }).waitFor();
    expect(await cnpj.inputValue()).toBe('11.444.777/0001-61');
    expect(await get(`/api/stores/${shared.bairro}/settings`)).toEqual({
      shop_cnpj: '11.444.777/0001-61',
      shop_address: 'Av. B, 200 — Bairro',
      shop_phone: null,
      pix_key: '+5511912345678',
      pix_merchant_name: null,
      pix_merchant_city: null,
      printer_address: null,
    });
    await screenshot(page, 'p01-dados-da-loja');
  });

  it('bia opens her cash at the store’s registered terminal, takes a PIX to the store’s key, and the receipt prints the store’s data', async () => {
    const { page } = await open();
    await loginUI(page, 'bia', 'bia12345');
    await page.goto('/caixa');
    await page.getByLabel('Fundo de troco (R$)').fill('50');
    const terminal = page.getByLabel('Terminal', { exact: true });
    expect(await terminal.locator('option').allTextContents()).toEqual(['Outro (digitar o nome)', 'Caixa Bairro 1']);
    await terminal.selectOption({ label: 'Caixa Bairro 1' });
    expect(await page.locator('#terminal').count()).toBe(0); // no name to type at a registered one
    await page.getByRole('button', { name: 'Abrir caixa' }).click();
    await page.getByTestId('cash-current').waitFor();
    const current = await api<{ terminal_id: number; terminal: string; store_id: number }>(e2e.baseURL, await apiLogin(e2e.baseURL, 'bia', 'bia12345'), 'GET', '/api/cash-sessions/current');
    expect(current).toMatchObject({ terminal_id: shared.terminal, terminal: 'Caixa Bairro 1', store_id: shared.bairro });

    await page.goto('/pdv');
    await page.getByTestId('cash-status').filter({ hasText: 'Caixa aberto' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
    await page.keyboard.type('CAFE-1', { delay: 3 });
    await page.keyboard.press('Enter');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('4'); // pix
    await page.getByTestId('pix-qr').waitFor();
    const payload = await page.getByTestId('pix-payload').inputValue();
    expect(payload).toContain('+5511912345678');
    expect(payload).toContain('Campinas'); // the shop's city: the store has none of its own
    expect(payload).not.toContain('loja@example.com');
    await screenshot(page, 'p02-pix-da-loja');
    await page.keyboard.press('Enter');
    await page.getByTestId('last-sale').filter({ hasText: 'Venda nº' }).waitFor();

    const [sale] = (await get<{ sales: { id: number; store_id: number; user_username: string }[] }>('/api/sales?per_page=100')).sales.filter((s) => s.user_username === 'bia');
    expect(sale!.store_id).toBe(shared.bairro);
    shared.saleId = sale!.id;
    await page.goto(`/vendas/${sale!.id}/recibo`);
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    const text = plain(await receipt.textContent());
    expect(text).toContain('Mercadinho Boa Vista');
    expect(text).toContain('11.444.777/0001-61');
    expect(text).toContain('Av. B, 200 — Bairro');
    expect(text).toContain('Loja Bairro');
    expect(text).not.toContain('11.222.333/0001-81');
    await screenshot(page, 'p03-recibo-da-loja');
  });

  it('the dashboard and the audit log, filtered by Loja Bairro, show only that store’s', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('heading', { name: 'Painel' }).waitFor();
    const today = page.getByText('Vendas de hoje').locator('..');
    await today.filter({ hasText: 'R$ 44,97' }).waitFor(); // 2 cafés in store 1 and bia's one
    await page.getByLabel('Loja', { exact: true }).selectOption({ label: 'Loja Bairro' });
    await today.filter({ hasText: 'R$ 14,99' }).waitFor();
    const bairro = await get<{ today_sales: number }>(`/api/sales/reports/summary?store_id=${shared.bairro}`);
    expect(bairro.today_sales).toBe(14.99);
    await screenshot(page, 'p04-painel-da-loja');

    await page.getByRole('link', { name: 'Auditoria' }).click();
    await page.getByTestId('audit-table').waitFor();
    await page.getByRole('columnheader', { name: 'Loja' }).waitFor();
    await page.getByLabel('Loja', { exact: true }).selectOption({ label: 'Loja Bairro' });
    const expected = (await get<{ entries: { id: number }[] }>(`/api/audit?store_id=${shared.bairro}&per_page=50`)).entries.map((e) => e.id);
    expect(expected.length).toBeGreaterThanOrEqual(5); // created, stock, terminal, own data, cash, sale
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit-table"] tbody tr').length === n, expected.length);
    const shown = await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-entry-id'))));
    expect(shown).toEqual(expected);
    const actions = await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions).toContain('venda.criada');
    expect(actions).toContain('caixa.aberto');
    await screenshot(page, 'p05-auditoria-da-loja');
  });
});
