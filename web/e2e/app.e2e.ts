// End to end, against the real release binary and Debian's Chromium. One server and one fresh
// database for this file; the scenarios run in order and build on each other.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('app');
const { open } = e2e;

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

async function text(page: Page, selector: string) {
  return plain(await page.locator(selector).first().textContent());
}

/** A scanner: types the code fast and presses Enter. */
async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 3 });
  await page.keyboard.press('Enter');
}

async function cartQuantity(page: Page, name: string) {
  return page.getByLabel(`Quantidade de ${name}`).inputValue();
}

// Every script the browser fetched for a first, cold load of the page, gzipped as a server would.
// The bytes are the ones the browser got.
async function measure (page: Page, path: string, ready: () => Promise<unknown>) {
  const scripts = new Map<string, Promise<Buffer>>();
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script' && res.ok()) scripts.set(res.url(), res.body());
  });
  await page.goto(path);
  await ready();
  await page.waitForLoadState('networkidle');
  let total = 0;
  for (const body of scripts.values()) total += gzipSync(await body, { level: 9 }).length;
  return total;
}

/** 'sold', or the stock error shown next to the item. */
async function outcome(page: Page) {
  const sold = page.getByRole('status').filter({ hasText: 'Venda nº' });
  const refused = page.getByTestId('item-error');
  await sold.or(refused).first().waitFor();
  return (await sold.count()) > 0 ? 'sold' : plain(await refused.textContent());
}

const XSS_NAME = '<script>window.xssRan=1</script><img src=x onerror="window.xssRan=2">Bolo';

const shared = {
  adminToken: '',
  saleId: 0,
};

beforeAll(async () => {
  shared.adminToken = await apiLogin(e2e.baseURL, 'admin', 'admin123');
});

describe('Sistema de Vendas no navegador', () => {
  it('the login page and the PDV each load at most 100 kB of gzipped JavaScript', async () => {
    const first = await open();
    const login = await measure(first.page, '/login', () => first.page.getByLabel('Usuário').waitFor());

    // A new browser profile with a session already stored, opening /pdv directly.
    const second = await open();
    const user = await api<unknown>(e2e.baseURL, shared.adminToken, 'GET', '/api/auth/me');
    await second.context.addInitScript(
      ([token, u]) => {
        localStorage.setItem('sv.token', token as string);
        localStorage.setItem('sv.user', JSON.stringify(u));
      },
      [shared.adminToken, user],
    );
    const pdv = await measure(second.page, '/pdv', () => second.page.getByLabel(/Código de barras ou nome/).waitFor());
    console.log(`JS gzip carregado no navegador: /login ${(login / 1000).toFixed(1)} kB, /pdv ${(pdv / 1000).toFixed(1)} kB`);
    expect(login).toBeGreaterThan(0);
    expect(login).toBeLessThanOrEqual(100_000);
    expect(pdv).toBeGreaterThan(login);
    expect(pdv).toBeLessThanOrEqual(100_000);
  });

  it('login shows a clear error for a wrong password and the session survives a reload', async () => {
    const { page, httpErrors } = await open();
    await page.goto('/vendas');
    await page.waitForURL(/\/login\?next=%2Fvendas/);
    await page.getByLabel('Usuário').fill('admin');
    await page.getByLabel('Senha').fill('errada');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Usuário ou senha incorretos.' }).waitFor();
    expect(httpErrors.join()).toMatch(/401/);
    await screenshot(page, '01-login-erro');
    await page.getByLabel('Senha').fill('admin123');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/vendas'); // back where it wanted to go
    await page.reload();
    await page.getByRole('heading', { name: 'Vendas' }).waitFor();
    expect(await text(page, '[data-testid="current-user"]')).toContain('admin');
  });

  it('an admin creates a category, products and an employee', async () => {
    const { page, httpErrors } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('heading', { name: 'Painel' }).waitFor();
    await screenshot(page, '02-painel-vazio');

    await page.getByRole('link', { name: 'Categorias' }).click();
    await page.getByRole('heading', { name: 'Categorias' }).waitFor();
    await page.getByText('Nenhuma categoria ainda').waitFor();
    for (const name of ['Mercearia', 'Bebidas']) {
      await page.getByLabel('Nova categoria').fill(name);
      await page.getByRole('button', { name: 'Adicionar' }).click();
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    // the API's rule, as a friendly message
    await page.getByLabel('Nova categoria').fill('bebidas');
    await page.getByRole('button', { name: 'Adicionar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Categoria já existe' }).waitFor();
    expect(httpErrors.join()).toMatch(/400/);
    // rename
    await page.getByRole('button', { name: 'Renomear Bebidas' }).click();
    await page.getByLabel('Novo nome de Bebidas').fill('Bebidas e Sucos');
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: 'Bebidas e Sucos', exact: true }).waitFor();
    await screenshot(page, '03-categorias');

    await page.getByRole('link', { name: 'Produtos' }).click();
    await page.getByText('Nenhum produto cadastrado ainda.').waitFor();
    await page.getByRole('button', { name: '+ Novo produto' }).click();
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Informe o nome do produto.').waitFor();
    await page.getByText('Informe o preço.').waitFor();
    await page.getByLabel('Preço (R$) *').fill('12,345');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Preço inválido').waitFor();
    await screenshot(page, '04-produto-validacao');

    const products = [
      { name: 'Café Torrado 500g', code: '7891000100103', category: 'Mercearia', price: '14,99', stock: '20', min: '5' },
      { name: 'Água Mineral 500ml', code: '7894900011517', category: 'Bebidas e Sucos', price: '2,50', stock: '50', min: '10' },
      { name: XSS_NAME, code: 'XSS-1', category: 'Mercearia', price: '5', stock: '3', min: '5' },
      { name: 'Panetone Última Unidade', code: 'ULTIMA-1', category: 'Mercearia', price: '39,90', stock: '1', min: '0' },
    ];
    for (const [i, p] of products.entries()) {
      if (i > 0) await page.getByRole('button', { name: '+ Novo produto' }).click();
      await page.getByLabel('Nome *').fill(p.name);
      await page.getByLabel('Código interno (SKU)').fill(p.code);
      await page.getByLabel('Categoria *').selectOption({ label: p.category });
      await page.getByLabel('Preço (R$) *').fill(p.price);
      await page.getByLabel('Estoque inicial').fill(p.stock);
      await page.getByLabel('Estoque mínimo').fill(p.min);
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.getByRole('status').filter({ hasText: 'cadastrado' }).waitFor();
      await page.getByRole('cell', { name: p.code, exact: true }).waitFor();
    }
    // a code already used is refused next to the field
    await page.getByRole('button', { name: '+ Novo produto' }).click();
    await page.getByLabel('Nome *').fill('Duplicado');
    await page.getByLabel('Código interno (SKU)').fill('XSS-1');
    await page.getByLabel('Categoria *').selectOption({ label: 'Mercearia' });
    await page.getByLabel('Preço (R$) *').fill('1');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Código já cadastrado em outro produto').waitFor();
    await page.keyboard.press('Escape');

    // stock adjustment (+10) and the low-stock badge
    await page.getByRole('button', { name: 'Estoque de Água Mineral 500ml' }).click();
    await page.getByLabel('Quantidade (ex.: 10 ou -3)').fill('10');
    await page.getByRole('button', { name: 'Salvar estoque' }).click();
    await page.getByRole('status').filter({ hasText: 'agora é 60' }).waitFor();
    const xssRow = page.getByRole('row').filter({ hasText: 'XSS-1' });
    expect(await xssRow.getByText('Estoque baixo').count()).toBe(1);

    // the category filter
    await page.getByLabel('Categoria', { exact: true }).selectOption({ label: 'Bebidas e Sucos' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="products-table"] tbody tr').length === 1);
    await page.getByLabel('Categoria', { exact: true }).selectOption({ label: 'Todas' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="products-table"] tbody tr').length === 4);
    await screenshot(page, '05-produtos');

    // an employee, through the users page
    await page.getByRole('link', { name: 'Usuários' }).click();
    await page.getByRole('button', { name: '+ Novo usuário' }).click();
    await page.getByLabel('Usuário *').fill('caixa1');
    await page.getByLabel('Senha *').fill('caixa123');
    await page.getByLabel('Papel').selectOption('funcionario');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('cell', { name: 'caixa1', exact: true }).waitFor();
    // the API's rule: one cannot delete oneself
    await page.getByRole('button', { name: 'Remover admin' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remover' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: 'Não é possível deletar o próprio usuário' }).waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, '06-usuarios');
  });

  it('an employee sells at the PDV with the keyboard only, sees the sale and cannot open admin pages', async () => {
    const { page } = await open();
    await page.goto('/login');
    await page.getByLabel('Usuário').waitFor();
    // keyboard only from here on
    await page.keyboard.type('caixa1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('caixa123');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/pdv');
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');

    await scan(page, '7891000100103');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    await scan(page, '7891000100103'); // scanning again adds one more
    await page.waitForFunction(() => (document.querySelector('[aria-label="Quantidade de Café Torrado 500g"]') as HTMLInputElement | null)?.value === '2');

    // typing a name (without accent) filters as you type; Enter takes the highlighted result
    await page.keyboard.type('agua mine');
    await page.getByRole('option', { name: /Água Mineral 500ml/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByLabel('Quantidade de Água Mineral 500ml').waitFor();
    // a quantity typed before the code: 3 more
    await scan(page, '3*7894900011517');
    await page.waitForFunction(() => (document.querySelector('[aria-label="Quantidade de Água Mineral 500ml"]') as HTMLInputElement | null)?.value === '4');
    // with the box empty, + and − step the last item
    const aguaQty = (q: string) =>
      page.waitForFunction((v) => (document.querySelector('[aria-label="Quantidade de Água Mineral 500ml"]') as HTMLInputElement | null)?.value === v, q);
    await page.keyboard.press('+');
    await aguaQty('5');
    await page.keyboard.press('-');
    await aguaQty('4');
    expect(await cartQuantity(page, 'Café Torrado 500g')).toBe('2');
    expect(await text(page, '[data-testid="cart-total"]')).toBe('R$ 39,98'); // 2 × 14,99 + 4 × 2,50
    await screenshot(page, '07-pdv-carrinho');

    // F2, 1 = dinheiro (focus goes to the amount received), 100, Enter
    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('1');
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    await page.keyboard.type('100');
    expect(await text(page, '[data-testid="change"]')).toBe('R$ 60,02');
    await screenshot(page, '08-pdv-finalizar');
    await page.keyboard.press('Enter');
    const ok = page.getByRole('status').filter({ hasText: 'Venda nº' });
    await ok.waitFor();
    const message = plain(await ok.textContent());
    expect(message).toContain('R$ 39,98');
    expect(message).toContain('Troco R$ 60,02');
    shared.saleId = Number(/Venda nº (\d+)/.exec(message)?.[1]);
    expect(shared.saleId).toBeGreaterThan(0);
    expect(await page.getByTestId('cart').count()).toBe(0); // cleared
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
    await screenshot(page, '09-pdv-venda-ok');

    // own history
    await page.goto('/vendas');
    await page.getByRole('heading', { name: 'Minhas vendas' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: /R\$\s39,98/ });
    await row.waitFor();
    expect(plain(await row.textContent())).toContain('caixa1');
    await row.getByRole('button', { name: `Detalhes da venda ${shared.saleId}` }).click();
    await page.getByTestId('sale-detail').getByText('Água Mineral 500ml').waitFor();
    await screenshot(page, '10-minhas-vendas-detalhe');
    await page.keyboard.press('Escape');

    // no admin pages: not in the menu, and the URL sends them back to the PDV
    expect(await page.getByRole('link', { name: 'Produtos' }).count()).toBe(0);
    for (const path of ['/', '/produtos', '/categorias', '/usuarios']) {
      await page.goto(path);
      await page.waitForURL((u) => u.pathname === '/pdv');
    }
    // and the API refuses them too
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/users', { headers: { Authorization: `Bearer ${localStorage.getItem('sv.token')}` } });
      return r.status;
    });
    expect(status).toBe(403);
  });

  it('the admin sees the sale on the dashboard and in the report, and exports it as CSV', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByText('Vendas de hoje').waitFor();
    const today = page.locator('.card').filter({ hasText: 'Vendas de hoje' });
    expect(plain(await today.textContent())).toContain('R$ 39,98');
    expect(plain(await page.locator('section', { hasText: 'Mais vendidos' }).textContent())).toContain('Água Mineral 500ml');
    // the low-stock list holds the XSS product (3 <= 5) as text
    expect(plain(await page.getByTestId('low-stock').textContent())).toContain('<script>');
    await screenshot(page, '11-painel');

    await page.getByRole('link', { name: 'Vendas' }).click();
    await page.getByRole('button', { name: 'Hoje' }).click();
    const row = page.getByRole('row').filter({ hasText: 'caixa1' });
    await row.waitFor();
    expect(plain(await row.textContent())).toContain('R$ 39,98');
    expect(plain(await row.textContent())).toContain('Dinheiro');
    expect(plain(await page.getByTestId('sales-totals').textContent())).toMatch(/Total do período\s*R\$ 39,98/);
    expect(plain(await page.getByTestId('sales-totals').textContent())).toMatch(/Ticket médio\s*R\$ 39,98/);
    await screenshot(page, '12-vendas');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM: Excel reads UTF-8
    expect(csv).toContain(';');
    expect(csv).toContain('39,98');
    expect(csv).toContain('caixa1');
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    await page.getByRole('status').filter({ hasText: 'baixado' }).waitFor();

    // a period with no sales
    await page.getByLabel('De', { exact: true }).fill('2020-01-01T00:00');
    await page.getByLabel('Até', { exact: true }).fill('2020-01-31T23:59');
    await page.getByText('Nenhuma venda neste período.').waitFor();
  });

  it('a product name with <script> shows as text, never runs', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByLabel('Buscar por nome, código ou código de barras').fill('script');
    const cell = page.getByRole('cell', { name: XSS_NAME, exact: true });
    await cell.waitFor();
    expect(await cell.textContent()).toBe(XSS_NAME);
    await page.goto('/pdv');
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
    await page.keyboard.type('XSS-1');
    await page.keyboard.press('Enter');
    await page.getByLabel(`Quantidade de ${XSS_NAME}`).waitFor();
    await screenshot(page, '13-xss-como-texto');
    expect(await page.evaluate(() => (window as unknown as { xssRan?: number }).xssRan)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
  });

  it('two terminals selling the last unit at once: one sale, one clear stock error', async () => {
    await api(e2e.baseURL, shared.adminToken, 'POST', '/api/users', { username: 'caixa2', password: 'caixa123', role: 'funcionario' });
    const a = await open();
    const b = await open();
    await loginUI(a.page, 'caixa1', 'caixa123');
    await loginUI(b.page, 'caixa2', 'caixa123');
    for (const { page } of [a, b]) {
      await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
      await scan(page, 'ULTIMA-1');
      await page.getByLabel('Quantidade de Panetone Última Unidade').waitFor();
      await page.keyboard.press('F2');
      await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
      await page.keyboard.press('3'); // crédito
    }
    await Promise.all([a.page.keyboard.press('Enter'), b.page.keyboard.press('Enter')]);
    const results = await Promise.all([outcome(a.page), outcome(b.page)]);
    expect(results.filter((r) => r === 'sold')).toHaveLength(1);
    const refusal = results.find((r) => r !== 'sold')!;
    expect(refusal).toMatch(/Sem estoque|Estoque insuficiente/);
    const loser = results[0] === 'sold' ? b : a;
    await screenshot(loser.page, '14-pdv-estoque-tomado');
    // the loser keeps the cart, with the error next to the item
    expect(await loser.page.getByLabel('Quantidade de Panetone Última Unidade').count()).toBe(1);
    expect(loser.httpErrors.join()).toMatch(/400/);
    const product = await api<{ products: { stock: number }[] }>(e2e.baseURL, shared.adminToken, 'GET', '/api/products?code=ULTIMA-1');
    expect(product.products[0]!.stock).toBe(0);
    const sales = await api<{ sales: { items: { product_name: string }[] }[] }>(e2e.baseURL, shared.adminToken, 'GET', '/api/sales?per_page=100');
    expect(sales.sales.filter((s) => s.items.some((i) => i.product_name === 'Panetone Última Unidade'))).toHaveLength(1);
  });

  it('an expired session goes to the login and comes back to the PDV with the cart', async () => {
    const { page } = await open();
    await loginUI(page, 'caixa1', 'caixa123');
    await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
    await scan(page, '7891000100103');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    // the session ends on the server (an admin sets a new password, which ends the user's tokens)
    const users = await api<{ id: number; username: string }[]>(e2e.baseURL, shared.adminToken, 'GET', '/api/users');
    const caixa1 = users.find((u) => u.username === 'caixa1')!;
    await api(e2e.baseURL, shared.adminToken, 'PUT', `/api/users/${caixa1.id}`, { password: 'caixa456' });
    await page.keyboard.type('agua');
    await page.waitForURL(/\/login\?next=%2Fpdv/);
    await page.getByText('Sua sessão expirou').waitFor();
    await screenshot(page, '15-sessao-expirada');
    await page.getByLabel('Usuário').fill('caixa1');
    await page.getByLabel('Senha').fill('caixa456');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/pdv');
    expect(await cartQuantity(page, 'Café Torrado 500g')).toBe('1');
    expect(await text(page, '[data-testid="cart-total"]')).toBe('R$ 14,99');
  });

  it('a user changes their own password and keeps working', async () => {
    const { page, httpErrors } = await open();
    await loginUI(page, 'caixa2', 'caixa123');
    await page.getByRole('link', { name: 'Alterar senha' }).click();
    await page.getByLabel('Senha atual').fill('errada1');
    await page.getByLabel('Nova senha', { exact: true }).fill('novasenha');
    await page.getByLabel('Confirme a nova senha').fill('novasenha');
    await page.getByRole('button', { name: 'Alterar senha' }).click();
    await page.getByRole('alert').filter({ hasText: 'Senha atual incorreta' }).waitFor();
    expect(httpErrors.join()).toMatch(/400/);
    await page.getByLabel('Senha atual').fill('caixa123');
    await page.getByRole('button', { name: 'Alterar senha' }).click();
    await page.getByRole('status').filter({ hasText: 'Senha alterada com sucesso' }).waitFor();
    await screenshot(page, '16-alterar-senha');
    await page.getByRole('link', { name: 'Minhas vendas' }).click();
    await page.getByRole('heading', { name: 'Minhas vendas' }).waitFor();
    expect(page.url()).toContain('/vendas');
    await apiLogin(e2e.baseURL, 'caixa2', 'novasenha');
  });

  it('works on a phone screen and deep links load directly', async () => {
    const { page } = await open({ width: 390, height: 844 });
    await page.goto('/pdv');
    await page.waitForURL(/\/login/);
    await screenshot(page, '17-celular-login');
    await loginUI(page, 'caixa1', 'caixa456');
    await page.goto('/vendas');
    await page.getByRole('heading', { name: 'Minhas vendas' }).waitFor();
    await page.goto('/pdv');
    await page.getByLabel(/Código de barras ou nome/).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '18-celular-pdv');
  });
});
