// The counter end to end, against the real release binary and Debian's Chromium: checkout with
// change sent once, a split card + PIX payment whose QR is decoded from the screen, a discount
// approved by an administrator, the receipt printed on 80 mm paper, cancellation and return
// from the history, and a cash session with a blind count. One server and one fresh database
// for this file; the scenarios run in order and build on each other.
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('counter');
const { open } = e2e;

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

interface Payment {
  method: string;
  amount: number;
  tendered: number | null;
}
interface SaleItem {
  id: number;
  product_name: string;
  quantity: number;
  returned_quantity: number;
}
interface Sale {
  id: number;
  user_username: string;
  status: string;
  total_amount: number;
  subtotal_amount: number;
  discount_amount: number;
  change: number;
  payments: Payment[];
  items: SaleItem[];
  discount_approved_by: string | null;
  refunded_amount: number;
  cancel_reason: string | null;
}

const SHOP = {
  shop_name: 'Mercadinho Boa Vista',
  shop_cnpj: '11222333000181',
  shop_address: 'Rua das Flores, 123, Centro, Campinas/SP',
  shop_phone: '(19) 3232-1234',
  pix_key: '11222333000181',
  pix_merchant_name: 'Mercadinho Boa Vista',
  pix_merchant_city: 'Campinas',
  max_discount_percent: 5,
};

const shared = { adminToken: '', cashSaleId: 0, pixSaleId: 0, approvedSaleId: 0 };

async function scan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 3 });
  await page.keyboard.press('Enter');
}

async function atSearch(page: Page) {
  await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
}

async function salesOf(username: string): Promise<Sale[]> {
  const page = await api<{ sales: Sale[] }>(e2e.baseURL, shared.adminToken, 'GET', '/api/sales?per_page=100');
  return page.sales.filter((s) => s.user_username === username);
}

/** The sales' POSTs the page sent (a double click must not make two). */
function countSalePosts(page: Page) {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/sales') posts.push(r.headers()['idempotency-key'] ?? '');
  });
  return posts;
}

beforeAll(async () => {
  const token = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  shared.adminToken = token;
  const category = await api<{ id: number }>(e2e.baseURL, token, 'POST', '/api/categories', { name: 'Mercearia' });
  for (const p of [
    { name: 'Arroz Tipo 1 5kg', code: 'ARROZ-5', price: '25.90', stock: 100 },
    { name: 'Feijão Carioca 1kg', code: 'FEIJAO-1', price: '8.49', stock: 100 },
    { name: 'Óleo de Soja 900ml', code: 'OLEO-900', price: '7.99', stock: 100 },
  ]) {
    await api(e2e.baseURL, token, 'POST', '/api/products', { ...p, category_id: category.id, min_stock: 0 });
  }
  await api(e2e.baseURL, token, 'POST', '/api/users', { username: 'caixa', password: 'caixa123', role: 'funcionario' });
  await api(e2e.baseURL, token, 'PUT', '/api/settings', SHOP);
});

describe('O caixa no navegador', () => {
  it('a cash sale shows the change and is recorded once, even with a double click and a second Enter', async () => {
    const { page } = await open();
    const posts = countSalePosts(page);
    await loginUI(page, 'caixa', 'caixa123');
    await atSearch(page);
    await scan(page, 'ARROZ-5');
    await scan(page, 'ARROZ-5');
    await page.getByLabel('Quantidade de Arroz Tipo 1 5kg').waitFor();
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 51,80');

    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('1'); // dinheiro: the focus goes to the amount received
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    await page.keyboard.type('100');
    expect(plain(await page.getByTestId('change').textContent())).toBe('R$ 48,20');
    expect(plain(await page.getByTestId('remaining').textContent())).toBe('R$ 0,00');
    await screenshot(page, 'c01-troco');

    // A double click on the button, then Enter again while it is being sent.
    await page.getByRole('button', { name: /Confirmar venda/ }).dblclick();
    await page.keyboard.press('Enter');
    const last = page.getByTestId('last-sale');
    await last.waitFor();
    expect(plain(await page.getByTestId('last-change').textContent())).toBe('R$ 48,20');
    const notice = plain(await page.getByRole('status').filter({ hasText: 'Venda nº' }).textContent());
    expect(notice).toContain('Troco R$ 48,20');
    await atSearch(page);
    await page.keyboard.press('Enter'); // and once more, in the empty search box
    await screenshot(page, 'c02-venda-em-dinheiro');

    const sales = await salesOf('caixa');
    expect(sales).toHaveLength(1);
    const sale = sales[0]!;
    expect(sale.total_amount).toBe(51.8);
    expect(sale.change).toBe(48.2);
    expect(sale.payments).toEqual([{ method: 'dinheiro', amount: 51.8, tendered: 100 }]);
    expect(new Set(posts).size).toBe(1); // one key for the checkout, whatever was sent
    shared.cashSaleId = sale.id;
    expect(plain(await last.textContent())).toContain(`Venda nº ${sale.id}`);
  });

  it('a sale split between a debit card and PIX: the QR on the screen decodes to the server’s BR Code', async () => {
    const { page } = await open();
    await loginUI(page, 'caixa', 'caixa123');
    await atSearch(page);
    await scan(page, 'ARROZ-5');
    await scan(page, 'FEIJAO-1');
    await page.getByLabel('Quantidade de Feijão Carioca 1kg').waitFor();
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 34,39');

    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('2'); // débito
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    await page.keyboard.type('20');
    expect(plain(await page.getByTestId('remaining').textContent())).toBe('R$ 14,39');
    await page.keyboard.press('Enter'); // adds the line; back to the methods
    await page.getByTestId('payment-lines').getByText('R$ 20,00').waitFor();
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('4'); // pix, for what is missing
    const qr = page.getByTestId('pix-qr');
    await qr.waitFor();
    await page.getByTestId('pix-warning').waitFor();
    expect(plain(await page.getByTestId('pix-warning').textContent())).toMatch(/estático.*não recebe a confirmação/);
    await screenshot(page, 'c03-pix');

    const png = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    expect(decoded, 'o QR da tela deve ser legível').not.toBeNull();
    const expected = await api<{ payload: string }>(e2e.baseURL, shared.adminToken, 'GET', '/api/pix?amount=14.39');
    expect(decoded!.data).toBe(expected.payload);
    expect(await page.getByTestId('pix-payload').inputValue()).toBe(expected.payload);
    expect(expected.payload).toContain('14.39');

    // The cashier saw the PIX on the customer's phone: Enter confirms.
    await page.keyboard.press('Enter');
    await page.getByTestId('last-sale').waitFor();
    const sale = (await salesOf('caixa')).find((s) => s.id !== shared.cashSaleId)!;
    expect(sale.payments).toEqual([
      { method: 'debito', amount: 20, tendered: null },
      { method: 'pix', amount: 14.39, tendered: null },
    ]);
    expect(sale.change).toBe(0);
    shared.pixSaleId = sale.id;
  });

  it('a discount above the employees’ limit is refused, then approved by an administrator in the dialog', async () => {
    const { page, httpErrors } = await open();
    await loginUI(page, 'caixa', 'caixa123');
    await atSearch(page);
    await scan(page, 'OLEO-900');
    await scan(page, 'ARROZ-5');
    await page.getByLabel('Quantidade de Arroz Tipo 1 5kg').waitFor();
    // F4: the discount of the last item, 10% (the limit is 5%)
    await page.keyboard.press('F4');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Desconto de Arroz Tipo 1 5kg');
    await page.keyboard.type('10%');
    await page.keyboard.press('Enter');
    await atSearch(page);
    // 7,99 + 25,90 − 2,59 = 31,30
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 31,30');
    expect(plain(await page.getByTestId('cart-discounts').textContent())).toContain('R$ 2,59');

    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('3'); // crédito
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('approval-dialog');
    await dialog.waitFor();
    expect(plain(await dialog.textContent())).toContain('Desconto acima do limite de 5%');
    expect(httpErrors.join()).toMatch(/403/);
    await page.waitForFunction(() => document.activeElement?.id === 'approval-user');
    await page.keyboard.type('admin');
    await page.getByLabel('Senha do administrador').fill('errada');
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Aprovação recusada' }).waitFor();
    expect(await salesOf('caixa')).toHaveLength(2);
    await page.getByLabel('Senha do administrador').fill('admin123');
    await screenshot(page, 'c04-aprovacao');
    await page.getByRole('button', { name: 'Aprovar e finalizar' }).click();
    await page.getByTestId('last-sale').waitFor();

    const sales = await salesOf('caixa');
    expect(sales).toHaveLength(3);
    const sale = sales.find((s) => s.id !== shared.cashSaleId && s.id !== shared.pixSaleId)!;
    expect(sale.discount_approved_by).toBe('admin');
    expect(sale.total_amount).toBe(31.3);
    expect(sale.discount_amount).toBe(2.59);
    expect(sale.payments).toEqual([{ method: 'credito', amount: 31.3, tendered: null }]);
    shared.approvedSaleId = sale.id;
  });

  it('the receipt printed on 80 mm paper: every required text, nothing wider than the page', async () => {
    const { page } = await open({ width: 1000, height: 900 });
    await loginUI(page, 'caixa', 'caixa123');
    await page.goto(`/vendas/${shared.cashSaleId}/recibo`);
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    await page.getByLabel('Papel').selectOption('80mm');
    await screenshot(page, 'c05-recibo-tela');

    await page.setViewportSize({ width: 302, height: 900 }); // 80 mm at 96 dpi
    await page.emulateMedia({ media: 'print' });
    const text = plain(await receipt.innerText());
    for (const expected of [
      'Mercadinho Boa Vista',
      'CNPJ 11.222.333/0001-81',
      'Rua das Flores, 123, Centro, Campinas/SP',
      '(19) 3232-1234',
      `Venda nº ${shared.cashSaleId}`,
      'Vendedor: caixa',
      'Arroz Tipo 1 5kg',
      '2 × R$ 25,90',
      'Subtotal R$ 51,80',
      'TOTAL R$ 51,80',
      'Dinheiro R$ 51,80',
      'recebido R$ 100,00',
      'Troco R$ 48,20',
      'NÃO É DOCUMENTO FISCAL',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    // Only the receipt is printed: no menu, no buttons.
    expect(await page.getByRole('button', { name: 'Imprimir' }).isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Principal' }).isVisible()).toBe(false);
    const fit = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wider = [...document.querySelectorAll('body *')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
        })
        .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
      return { width, scroll: document.documentElement.scrollWidth, wider };
    });
    expect(fit.wider).toEqual([]);
    expect(fit.scroll).toBeLessThanOrEqual(fit.width);
    await page.screenshot({ path: `e2e/artifacts/c06-recibo-80mm.png`, fullPage: true });
    const pdf = await page.pdf({ width: '80mm', printBackground: true, preferCSSPageSize: true });
    expect(pdf.length).toBeGreaterThan(1000);
  });

  it('the admin cancels a sale and takes items back from the history; the receipt says so', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/vendas');
    const row = page.locator(`tr[data-sale-id="${shared.approvedSaleId}"]`);
    await row.waitFor();
    expect(plain(await row.textContent())).toContain('Concluída');

    await row.getByRole('button', { name: `Cancelar venda ${shared.approvedSaleId}` }).click();
    await page.getByRole('button', { name: 'Cancelar venda', exact: true }).click();
    await page.getByText('Informe o motivo do cancelamento.').waitFor();
    await page.getByLabel('Motivo *').fill('Cliente desistiu da compra');
    await page.getByRole('button', { name: 'Cancelar venda', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Venda nº ${shared.approvedSaleId} cancelada.` }).waitFor();
    await row.getByText('Cancelada').waitFor();

    // A return of one of the two units of rice of the cash sale, refunded in cash.
    const cashRow = page.locator(`tr[data-sale-id="${shared.cashSaleId}"]`);
    await cashRow.getByRole('button', { name: `Devolução da venda ${shared.cashSaleId}` }).click();
    await page.getByLabel(/Devolver quantos de Arroz Tipo 1 5kg \(até 2\)/).fill('1');
    await page.getByLabel('Motivo *').fill('Embalagem furada');
    await page.getByLabel('Reembolso em').selectOption('dinheiro');
    await screenshot(page, 'c07-devolucao');
    await page.getByRole('button', { name: 'Registrar devolução' }).click();
    await page.getByRole('status').filter({ hasText: 'Devolução registrada' }).waitFor();
    await cashRow.getByText('Com devolução').waitFor();

    const cancelled = await api<Sale>(e2e.baseURL, shared.adminToken, 'GET', `/api/sales/${shared.approvedSaleId}`);
    expect(cancelled.status).toBe('cancelada');
    expect(cancelled.cancel_reason).toBe('Cliente desistiu da compra');
    const returned = await api<Sale>(e2e.baseURL, shared.adminToken, 'GET', `/api/sales/${shared.cashSaleId}`);
    expect(returned.items[0]!.returned_quantity).toBe(1);
    expect(returned.refunded_amount).toBe(25.9);

    await page.goto(`/vendas/${shared.approvedSaleId}/recibo`);
    await page.getByTestId('receipt-cancelled').getByText('VENDA CANCELADA').waitFor();
    expect(plain(await page.getByTestId('receipt').textContent())).toContain('Desconto aprovado por admin');
    await page.goto(`/vendas/${shared.cashSaleId}/recibo`);
    expect(plain(await page.getByTestId('receipt-returns').textContent())).toContain('Embalagem furada');
  });

  it('the admin edits the settings: a refused field shows the server’s message next to it', async () => {
    const { page, httpErrors } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.getByRole('link', { name: 'Configurações' }).click();
    const cnpj = page.getByLabel('CNPJ');
    await cnpj.waitFor();
    expect(await cnpj.inputValue()).toBe('11.222.333/0001-81');
    await cnpj.fill('11.222.333/0001-00');
    await page.getByRole('button', { name: 'Salvar configurações' }).click();
    await page.locator('#set-shop_cnpj-error').waitFor();
    expect(await cnpj.getAttribute('aria-invalid')).toBe('true');
    expect(httpErrors.join()).toMatch(/400/);
    await screenshot(page, 'c10-configuracoes-erro');
    await cnpj.fill('11.222.333/0001-81');
    await page.getByLabel('Telefone').fill('(19) 3232-9999');
    await page.getByRole('button', { name: 'Salvar configurações' }).click();
    await page.getByRole('status').filter({ hasText: 'Configurações salvas.' }).waitFor();
    const saved = await api<{ shop_phone: string; shop_cnpj: string }>(e2e.baseURL, shared.adminToken, 'GET', '/api/settings');
    expect(saved.shop_phone).toBe('(19) 3232-9999');
    expect(saved.shop_cnpj).toBe('11.222.333/0001-81');
  });

  it('a cash session: opened with a float, a cash sale, a sangria, closed with a blind count', async () => {
    await api(e2e.baseURL, shared.adminToken, 'PUT', '/api/settings', { require_cash_session: true });
    const { page, httpErrors } = await open();
    await loginUI(page, 'caixa', 'caixa123');
    await atSearch(page);
    await page.getByTestId('cash-status').getByText('Abra o caixa antes de vender').waitFor();
    // Selling without an open session is refused by the server.
    await scan(page, 'FEIJAO-1');
    await page.getByLabel('Quantidade de Feijão Carioca 1kg').waitFor();
    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByText('Abra o caixa antes de vender').first().waitFor();
    expect(httpErrors.join()).toMatch(/409/);
    await page.keyboard.press('Escape');

    await page.getByTestId('cash-status').getByRole('link', { name: 'Abrir o caixa' }).click();
    await page.getByRole('heading', { name: 'Abrir o caixa' }).waitFor();
    await page.getByLabel('Fundo de troco (R$)').fill('100,00');
    await page.getByRole('button', { name: 'Abrir caixa' }).click();
    await page.getByTestId('cash-current').waitFor();
    await screenshot(page, 'c08-caixa-aberto');

    await page.getByRole('link', { name: 'PDV' }).click();
    await atSearch(page);
    await page.getByTestId('cash-status').getByText('Caixa aberto').waitFor();
    expect(plain(await page.getByTestId('cart-total').textContent())).toBe('R$ 8,49'); // the cart was kept
    await page.keyboard.press('F2');
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
    await page.keyboard.press('1');
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    await page.keyboard.type('10');
    expect(plain(await page.getByTestId('change').textContent())).toBe('R$ 1,51');
    await page.keyboard.press('Enter');
    await page.getByTestId('last-sale').waitFor();

    await page.getByRole('link', { name: 'Caixa' }).first().click();
    await page.getByTestId('cash-current').waitFor();
    await page.getByRole('radio', { name: 'Sangria' }).check();
    await page.getByLabel('Valor (R$)').fill('50');
    await page.getByLabel('Motivo', { exact: true }).fill('Depósito no cofre');
    await page.getByRole('button', { name: 'Registrar' }).click();
    await page.getByRole('status').filter({ hasText: /Sangria de R\$\s50,00 registrada/ }).waitFor();

    // Blind count: what the system expects is nowhere on the page before closing.
    expect(plain(await page.locator('main').textContent())).not.toMatch(/Esperado/);
    await page.getByLabel('Dinheiro contado (R$)').fill('58,00'); // 100 + 8,49 − 50 = 58,49 expected
    await page.getByRole('button', { name: 'Fechar caixa' }).click();
    const closed = page.getByTestId('cash-closed');
    await closed.waitFor();
    expect(plain(await page.getByTestId('cash-expected').textContent())).toBe('R$ 58,49');
    expect(plain(await page.getByTestId('cash-counted').textContent())).toBe('R$ 58,00');
    expect(plain(await page.getByTestId('cash-difference').textContent())).toBe('-R$ 0,49');
    expect(plain(await closed.textContent())).toContain('falta R$ 0,49');
    await screenshot(page, 'c09-caixa-fechado');
    await page.getByRole('heading', { name: 'Abrir o caixa' }).waitFor(); // closed: it can be opened again

    // The administrator sees the session with its figures.
    const admin = await open();
    await loginUI(admin.page, 'admin', 'admin123');
    await admin.page.goto('/caixa');
    const row = admin.page.getByTestId('cash-sessions').getByRole('row').filter({ hasText: 'caixa' });
    await row.first().waitFor();
    const cells = plain(await row.first().textContent());
    expect(cells).toContain('R$ 100,00');
    expect(cells).toContain('R$ 58,49');
    expect(cells).toContain('R$ 58,00');
    expect(cells).toMatch(/-R\$ 0,49/);
    await row.first().getByRole('button', { name: /Detalhes do caixa/ }).click();
    const detail = admin.page.getByTestId('cash-detail');
    await detail.getByText(/Depósito no cofre/).waitFor();
    expect(plain(await detail.textContent())).toMatch(/Sangria R\$ 50,00/);
    await screenshot(admin.page, 'c11-caixa-relatorio');
    await api(e2e.baseURL, shared.adminToken, 'PUT', '/api/settings', { require_cash_session: false });
  });
});
