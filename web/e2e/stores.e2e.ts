// Several stores end to end, against the real binary and Debian's Chromium: a one-store shop sees
// nothing of stores; the administrator adds "Loja Bairro" and a terminal in Configurações and an
// employee who works only there, who then opens her cash and sells without being asked where;
// the administrator picks the store at the PDV and the sales page filters by it; a closed store
// leaves the PDV's picker. What was recorded is checked through the API. One server and one
// fresh database for the file; the scenarios run in order and build on each other.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, payInCashWithKeyboard, screenshot } from './browser';

const e2e = e2eSuite('stores');
const { open } = e2e;

interface Store {
  id: number;
  name: string;
  active: boolean;
}
interface Sale {
  id: number;
  store_id: number;
  store_name: string;
  user_username: string;
}

const shared = { admin: '', bairro: 0 };

const get = <T>(path: string) => api<T>(e2e.baseURL, shared.admin, 'GET', path);
const salesOf = async (username: string) => (await get<{ sales: Sale[] }>('/api/sales?per_page=100')).sales.filter((s) => s.user_username === username);

/** The bodies of the POST /api/sales the page sends. */
function salePosts(page: Page): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/sales') bodies.push(JSON.parse(r.postData() ?? '{}') as Record<string, unknown>);
  });
  return bodies;
}

/** One café at the PDV, paid in cash with the keyboard (an empty amount pays what is missing). */
async function sellCafe(page: Page) {
  await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
  await page.keyboard.type('CAFE-1', { delay: 3 });
  await page.keyboard.press('Enter');
  await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
  await payInCashWithKeyboard(page);
}

beforeAll(async () => {
  shared.admin = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  const category = await api<{ id: number }>(e2e.baseURL, shared.admin, 'POST', '/api/categories', { name: 'Mercearia' });
  await api(e2e.baseURL, shared.admin, 'POST', '/api/products', { name: 'Café Torrado 500g', code: 'CAFE-1', price: '14.99', stock: 100, category_id: category.id, min_stock: 0 });
});

describe('Lojas no navegador', () => {
  it('a fresh shop (one store): the PDV, Usuários and Vendas show nothing about stores, and the sale names none', async () => {
    const { page } = await open();
    const posts = salePosts(page);
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/pdv');
    await sellCafe(page);
    expect(await page.locator('#pdv-store').count()).toBe(0);
    expect(await page.getByText('Loja:').count()).toBe(0);
    expect(posts).toHaveLength(1);
    expect(posts[0]).not.toHaveProperty('store_id');

    await page.goto('/usuarios');
    await page.getByTestId('users-table').waitFor();
    expect(await page.getByRole('columnheader', { name: 'Lojas' }).count()).toBe(0);
    await page.getByRole('button', { name: '+ Novo usuário' }).click();
    await page.getByLabel('Usuário *').waitFor();
    expect(await page.getByRole('group', { name: 'Lojas' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.goto('/vendas');
    await page.getByTestId('sales-table').waitFor();
    expect(await page.getByRole('columnheader', { name: 'Loja' }).count()).toBe(0);
    expect(await page.getByLabel('Loja', { exact: true }).count()).toBe(0);
    await screenshot(page, 's01-uma-loja');
  });

  it('the administrator adds "Loja Bairro" and a terminal, and an employee of that store only; she sells there without being asked', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('link', { name: 'Configurações' }).click();
    await page.getByRole('heading', { name: 'Lojas e terminais' }).waitFor();
    await page.getByLabel('Nova loja').fill('Loja Bairro');
    await page.getByRole('button', { name: 'Adicionar loja' }).click();
    await page.getByRole('button', { name: 'Renomear Loja Bairro' }).waitFor();
    const bairro = (await get<Store[]>('/api/stores')).find((s) => s.name === 'Loja Bairro')!;
    // A new store has no stock: the café it sells comes in by an adjustment in that store.
    const [cafe] = (await get<{ products: { id: number }[] }>('/api/products?code=CAFE-1')).products;
    await api(e2e.baseURL, shared.admin, 'POST', '/api/stock/adjustments', { product_id: cafe!.id, quantity: 50, reason: 'Estoque inicial', store_id: bairro.id });
    shared.bairro = bairro.id;
    const row = page.getByTestId(`store-${bairro.id}`);
    await row.getByLabel('Novo terminal em Loja Bairro').fill('Caixa Bairro 1');
    await row.getByRole('button', { name: 'Adicionar terminal' }).click();
    await row.getByRole('button', { name: 'Renomear Caixa Bairro 1' }).waitFor();
    expect(await get<{ store_id: number; name: string }[]>('/api/terminals')).toEqual([expect.objectContaining({ store_id: bairro.id, name: 'Caixa Bairro 1' })]);
    // A second store of the same name is refused, next to the field.
    await page.getByLabel('Nova loja').fill('Loja Bairro');
    await page.getByRole('button', { name: 'Adicionar loja' }).click();
    await page.locator('#new-store[aria-invalid="true"]').waitFor();
    expect(await page.locator('#new-store-error').textContent()).toMatch(/loja/i);
    await screenshot(page, 's02-lojas-e-terminais');

    await page.getByRole('link', { name: 'Usuários' }).click();
    await page.getByRole('columnheader', { name: 'Lojas' }).waitFor();
    await page.getByRole('button', { name: '+ Novo usuário' }).click();
    await page.getByLabel('Usuário *').fill('bia');
    await page.getByLabel('Senha *').fill('bia12345');
    await page.getByLabel('Papel').selectOption('funcionario');
    await page.getByRole('group', { name: 'Lojas' }).getByLabel('Loja Bairro').check();
    await page.getByRole('button', { name: 'Salvar' }).click();
    const biaRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'bia', exact: true }) });
    await biaRow.waitFor();
    expect(await biaRow.getByRole('cell', { name: 'Loja Bairro', exact: true }).count()).toBe(1);
    const bia = (await get<{ username: string; store_ids: number[] }[]>('/api/users')).find((u) => u.username === 'bia')!;
    expect(bia.store_ids).toEqual([bairro.id]);
    await screenshot(page, 's03-usuarios-com-lojas');

    // bia: one store for her, so no picker; the cash opens in her store, and so does the sale.
    const b = await open();
    const posts = salePosts(b.page);
    await loginUI(b.page, 'bia', 'bia12345');
    await b.page.goto('/caixa');
    await b.page.getByLabel('Fundo de troco (R$)').fill('50');
    expect(await b.page.getByLabel('Loja', { exact: true }).count()).toBe(0);
    await b.page.getByRole('button', { name: 'Abrir caixa' }).click();
    await b.page.getByTestId('cash-current').waitFor();
    await b.page.goto('/pdv');
    await b.page.getByTestId('cash-status').filter({ hasText: 'Caixa aberto' }).waitFor();
    await sellCafe(b.page);
    expect(await b.page.locator('#pdv-store').count()).toBe(0);
    expect(posts[0]).not.toHaveProperty('store_id');
    const [sale] = await salesOf('bia');
    expect(sale).toMatchObject({ store_id: bairro.id, store_name: 'Loja Bairro' });
    const sessions = await get<{ cash_sessions: { user_username: string; store_id: number }[] }>('/api/cash-sessions');
    expect(sessions.cash_sessions.filter((s) => s.user_username === 'bia')).toEqual([expect.objectContaining({ store_id: bairro.id })]);
  });

  it('the administrator picks Loja Bairro at the PDV (remembered), sells there, and Vendas filtered by it shows exactly its sales', async () => {
    const { page } = await open();
    const posts = salePosts(page);
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/pdv');
    const picker = page.getByLabel('Loja:');
    await picker.waitFor();
    const options = await picker.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options).toContain('Loja Bairro');
    await picker.focus(); // a select the keyboard reaches; the arrows change it
    await picker.selectOption({ label: 'Loja Bairro' });
    await page.reload();
    await page.getByLabel('Loja:').waitFor();
    expect(await page.getByLabel('Loja:').inputValue()).toBe(String(shared.bairro));
    await page.locator('#pdv-search').focus();
    await sellCafe(page);
    expect(posts.at(-1)).toMatchObject({ store_id: shared.bairro });
    const mine = await salesOf('admin');
    expect(mine.find((s) => s.id === Math.max(...mine.map((m) => m.id)))).toMatchObject({ store_id: shared.bairro, store_name: 'Loja Bairro' });
    await screenshot(page, 's04-pdv-loja');

    await page.getByRole('link', { name: 'Vendas' }).click();
    await page.getByRole('columnheader', { name: 'Loja' }).waitFor();
    await page.getByLabel('Loja', { exact: true }).selectOption({ label: 'Loja Bairro' });
    const expected = (await get<{ sales: Sale[] }>(`/api/sales?store_id=${shared.bairro}&per_page=100`)).sales.map((s) => s.id).toSorted((a, b) => a - b);
    expect(expected).toHaveLength(2); // bia's and the administrator's
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sales-table"] tbody tr').length === n, expected.length);
    const shown = await page.locator('[data-testid="sales-table"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-sale-id'))));
    expect(shown.toSorted((a, b) => a - b)).toEqual(expected);
    const storeCells = await page.locator('[data-testid="sales-table"] tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(storeCells)).toEqual(new Set(['Loja Bairro']));
    await screenshot(page, 's05-vendas-por-loja');
  });

  it('a store the administrator closes leaves the PDV’s picker; with one store open again, the picker goes', async () => {
    await api(e2e.baseURL, shared.admin, 'POST', '/api/stores', { name: 'Loja Praia' });
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('link', { name: 'Configurações' }).click();
    await page.getByRole('button', { name: 'Desativar Loja Bairro' }).click();
    await page.getByRole('button', { name: 'Reativar Loja Bairro' }).waitFor();
    expect((await get<Store[]>('/api/stores')).find((s) => s.id === shared.bairro)?.active).toBe(false);

    await page.goto('/pdv');
    const picker = page.getByLabel('Loja:');
    await picker.waitFor();
    const options = await picker.locator('option').allTextContents();
    expect(options).toContain('Loja Praia');
    expect(options).not.toContain('Loja Bairro');

    const praia = (await get<Store[]>('/api/stores')).find((s) => s.name === 'Loja Praia')!;
    await api(e2e.baseURL, shared.admin, 'PUT', `/api/stores/${praia.id}`, { active: false });
    await page.reload();
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#pdv-store').count()).toBe(0);
  });
});
