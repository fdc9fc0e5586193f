// The audit log end to end, against the real binary and Debian's Chromium: the administrator
// changes a product's price in the form and someone tries to log in with a name nobody has; the
// Auditoria page shows both (the change as "preco: 10.00 → 12.50", the failed login with the name
// typed and the client's address, the time in the business zone), its filters (who, area,
// action, days) narrow the table exactly as the API does, and "Verificar integridade" reports the
// hash chain intact. Employees cannot open it. One server and one fresh database for this file;
// the scenarios run in order and build on each other.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('audit');
const { open } = e2e;

const TZ = 'America/Sao_Paulo';
const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

interface Entry {
  id: number;
  created_at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity: string | null;
  entity_id: number | null;
  client: string | null;
  details: Record<string, unknown>;
}
interface AuditPage {
  entries: Entry[];
  total: number;
  actions: string[];
}
interface Check {
  intact: boolean;
  entries: number;
  head_id: number | null;
  head_hash: string | null;
  problem: string | null;
}

const shared = { token: '', productId: 0, mariaId: 0, adminId: 0 };

const get = <T>(path: string, token = shared.token) => api<T>(e2e.baseURL, token, 'GET', path);
const audit = (query: Record<string, string | number> = {}) =>
  get<AuditPage>(`/api/audit?${new URLSearchParams(Object.entries({ per_page: 100, ...query }).map(([k, v]) => [k, String(v)]))}`);

/** A calendar day in the business zone, `days` from today ("2026-12-01"). */
function day(days = 0): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${parts}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "01/12/2026 20:33": how the other pages show a moment, in the business zone. */
function shown(iso: string): string {
  const f = new Intl.DateTimeFormat('pt-BR', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return f.format(new Date(iso)).replace(',', '');
}

/**
 * Does `change` on the filters and waits for the page's request with exactly `query` (besides
 * page and per_page) to be answered and drawn; returns the total the page shows and the actions
 * of its rows.
 */
async function filtered(page: Page, query: Record<string, string>, change: () => Promise<void>) {
  const answered = page.waitForResponse((r) => {
    const u = new URL(r.url());
    if (u.pathname !== '/api/audit') return false;
    const got = Object.fromEntries([...u.searchParams].filter(([k]) => k !== 'page' && k !== 'per_page'));
    return JSON.stringify(Object.entries(got).toSorted()) === JSON.stringify(Object.entries(query).toSorted());
  });
  await change();
  await answered;
  await page.waitForFunction(() => document.querySelector('[data-testid="audit-table"]')?.getAttribute('aria-busy') !== 'true');
  const total = Number(/(\d+) registro/.exec(plain(await page.getByTestId('audit-total').textContent()))?.[1]);
  const rows = await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-action'), tr.children[1]?.textContent ?? '']));
  return { total, actions: rows.map(([a]) => a ?? ''), who: rows.map(([, w]) => w ?? '') };
}

beforeAll(async () => {
  shared.token = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  const category = await api<{ id: number }>(e2e.baseURL, shared.token, 'POST', '/api/categories', { name: 'Mercearia' });
  const product = await api<{ id: number }>(e2e.baseURL, shared.token, 'POST', '/api/products', {
    name: 'Café Torrado 500g', code: 'CAFE-1', price: '10.00', stock: 20, min_stock: 0, category_id: category.id,
  });
  shared.productId = product.id;
  const maria = await api<{ id: number }>(e2e.baseURL, shared.token, 'POST', '/api/users', { username: 'maria', password: 'maria123', role: 'funcionario' });
  shared.mariaId = maria.id;
  shared.adminId = (await get<{ id: number }>('/api/auth/me')).id;
  // maria works a little: her login and a customer she registers.
  const mariaToken = await apiLogin(e2e.baseURL, 'maria', 'maria123');
  await api(e2e.baseURL, mariaToken, 'POST', '/api/customers', { name: 'Ana Souza', document: '529.982.247-25' });
});

describe('Auditoria no navegador', () => {
  it('a price changed in the product form and a login with an unknown name are recorded', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByRole('button', { name: 'Editar Café Torrado 500g' }).click();
    await page.getByLabel('Preço (R$) *').fill('12,50');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('status').filter({ hasText: /atualizado|salvo/ }).waitFor();

    const other = await open();
    await other.page.goto('/login');
    await other.page.getByLabel('Usuário').fill('intruso');
    await other.page.getByLabel('Senha').fill('tentativa1');
    await other.page.getByRole('button', { name: 'Entrar' }).click();
    await other.page.getByRole('alert').filter({ hasText: 'Usuário ou senha incorretos.' }).waitFor();
    expect(other.httpErrors.join()).toMatch(/401/);

    const changes = (await audit({ action: 'produto.alterado' })).entries;
    expect(changes.map((e) => [e.username, e.entity_id, e.details])).toEqual([['admin', shared.productId, { preco: { antes: '10.00', depois: '12.50' } }]]);
    const failures = (await audit({ action: 'login.falha' })).entries;
    expect(failures.map((e) => [e.username, e.user_id, e.client])).toEqual([['intruso', null, '127.0.0.1']]);
  });

  it('Auditoria shows the entries readably, in the business time zone', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Auditoria' }).click();
    await page.waitForURL('**/auditoria');
    await page.getByTestId('audit-table').waitFor();
    const all = await audit();

    const [change] = (await audit({ action: 'produto.alterado' })).entries;
    const changeRow = page.locator(`[data-testid="audit-table"] tr[data-entry-id="${change!.id}"]`);
    const changeCells = (await changeRow.locator('td').allTextContents()).map(plain);
    expect(changeCells).toEqual([shown(change!.created_at), 'admin', 'Produto alterado produto.alterado', `Produto nº ${shared.productId}`, '—', 'preco: 10.00 → 12.50']);
    expect(await changeRow.getByRole('link', { name: `Produto nº ${shared.productId}` }).getAttribute('href')).toBe(`/produtos/${shared.productId}/movimentos`);

    const [failure] = (await audit({ action: 'login.falha' })).entries;
    const failureCells = (await page.locator(`tr[data-entry-id="${failure!.id}"] td`).allTextContents()).map(plain);
    expect(failureCells).toEqual([shown(failure!.created_at), 'intruso não cadastrado', 'Login recusado login.falha', '—', '127.0.0.1', 'motivo: usuário desconhecido']);

    // Newest first, every entry there (one page), each with its readable action.
    const ids = await page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-entry-id'))));
    expect(ids).toEqual(all.entries.map((e) => e.id));
    expect(plain(await page.getByTestId('audit-total').textContent())).toBe(`${all.total} registro(s)`);
    const created = page.locator(`tr[data-action="cliente.criado"]`);
    expect(plain(await created.textContent())).toContain('maria');
    expect(plain(await created.textContent())).toContain('Cliente criado');
    expect(plain(await created.textContent())).toContain('documento: 529.982.247-25');
    await screenshot(page, 'auditoria-01');
  });

  it('the filters by user, area, action and day narrow the table as the API does', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/auditoria');
    await page.getByTestId('audit-table').waitFor();
    const who = page.getByLabel('Quem');
    const what = page.getByLabel('O quê');
    await who.locator('option', { hasText: 'maria' }).waitFor({ state: 'attached' });

    // Who: maria.
    const byMaria = await filtered(page, { user_id: String(shared.mariaId) }, () => who.selectOption({ label: 'maria' }).then(() => {}));
    const apiMaria = await audit({ user_id: shared.mariaId });
    expect(byMaria.total).toBe(apiMaria.total);
    expect(byMaria.total).toBeGreaterThanOrEqual(2); // her login and the customer
    expect(byMaria.actions).toEqual(apiMaria.entries.map((e) => e.action));
    expect(new Set(byMaria.who)).toEqual(new Set(['maria']));

    // What: the whole Produto area (created and changed), then one action, with "who" back to all.
    await filtered(page, {}, () => who.selectOption({ label: 'Todos' }).then(() => {}));
    const products = await filtered(page, { action: 'produto' }, () => what.selectOption({ label: 'Produto: todas' }).then(() => {}));
    const apiProducts = await audit({ action: 'produto' });
    expect(products.total).toBe(apiProducts.total);
    expect(products.actions).toEqual(apiProducts.entries.map((e) => e.action));
    expect(products.actions.toSorted()).toEqual(['produto.alterado', 'produto.criado']);
    const changed = await filtered(page, { action: 'produto.alterado' }, () => what.selectOption({ label: 'Produto alterado' }).then(() => {}));
    expect(changed.total).toBe(1);
    // Both filters: the admin's logins.
    const adminLogins = await filtered(page, { action: 'login', user_id: String(shared.adminId) }, async () => {
      await what.selectOption({ label: 'Login: todas' });
      await who.selectOption({ label: 'admin' });
    });
    expect(adminLogins.total).toBe((await audit({ action: 'login', user_id: shared.adminId })).total);
    expect(new Set(adminLogins.actions)).toEqual(new Set(['login.sucesso']));

    // When: today (the business zone's) has everything; from tomorrow on, nothing.
    await page.getByRole('button', { name: 'Limpar' }).click();
    const today = await filtered(page, { start_date: day(), end_date: day() }, async () => {
      await page.getByLabel('De').fill(day());
      await page.getByLabel('Até').fill(day());
    });
    const apiToday = await audit({ start_date: day(), end_date: day() });
    expect(today.total).toBe(apiToday.total);
    expect(today.total).toBe((await audit()).total);
    await filtered(page, { start_date: day(1), end_date: day(1) }, async () => {
      await page.getByLabel('Até').fill(day(1));
      await page.getByLabel('De').fill(day(1));
    });
    await page.getByText('Nenhum registro com esses filtros.').waitFor();
    expect(plain(await page.getByTestId('audit-total').textContent())).toBe('0 registro(s)');
    expect((await audit({ start_date: day(1) })).total).toBe(0);
    // Yesterday to today, and Produto: the same as the API.
    const week = await filtered(page, { start_date: day(-1), end_date: day(), action: 'produto' }, async () => {
      await page.getByLabel('De').fill(day(-1));
      await page.getByLabel('Até').fill(day());
      await what.selectOption({ label: 'Produto: todas' });
    });
    expect(week.total).toBe((await audit({ start_date: day(-1), end_date: day(), action: 'produto' })).total);
    await screenshot(page, 'auditoria-02-filtros');
  });

  it('"Verificar integridade" says the chain is intact, as the API does', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/auditoria');
    await page.getByTestId('audit-table').waitFor();
    await page.getByRole('button', { name: 'Verificar integridade' }).click();
    const result = page.getByTestId('audit-check');
    await result.waitFor();
    const check = await get<Check>('/api/audit/check');
    expect(check.intact).toBe(true);
    expect(plain(await result.textContent())).toBe(`Registro íntegro: ${check.entries} entradas; última #${check.head_id}, hash ${check.head_hash!.slice(0, 12)}…`);
    expect(await result.getByRole('status').count()).toBe(1); // said as a success, not in red
    await screenshot(page, 'auditoria-03-integridade');
  });

  it('an employee is sent back to the PDV from /auditoria, and the API refuses them', async () => {
    const { page } = await open();
    await loginUI(page, 'maria', 'maria123');
    await page.waitForURL((u) => u.pathname === '/pdv');
    const nav = page.getByRole('navigation', { name: 'Principal' });
    await nav.getByRole('link', { name: 'Clientes' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Auditoria' }).count()).toBe(0);
    await page.goto('/auditoria');
    await page.waitForURL((u) => u.pathname === '/pdv');
    const token = await apiLogin(e2e.baseURL, 'maria', 'maria123');
    await expect(get('/api/audit', token)).rejects.toThrow(/403/);
    await expect(get('/api/audit/check', token)).rejects.toThrow(/403/);
  });
});
