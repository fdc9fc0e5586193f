// The catalog as a spreadsheet, end to end against the real binary and Debian's Chromium: the
// products page exports the catalog as the CSV Excel pt-BR opens (its filters apply: "Só estoque
// baixo" is the restocking list), and imports a file through its dialog, all or nothing: a file
// with one bad line is refused with that line and column and changes nothing; fixed, it creates
// and updates products. One server and one fresh database for this file; the scenarios run in
// order.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('catalog-csv');
const { open } = e2e;
let token = '';

const HEADER = 'codigo;nome;categoria;unidade;preco;custo;custo_medio;estoque_minimo;estoque;codigos_de_barras;ativo;descricao';

interface Product {
  id: number;
  name: string;
  code: string | null;
  description: string | null;
  price: number;
  stock: number;
  unit: string;
  category_name: string;
  barcodes: string[];
  active: boolean;
  low_stock: boolean;
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

const CAFE_EAN = withCheckDigit('789100010010');
const SUCO_EAN = withCheckDigit('789555000123');

const get = <T>(path: string) => api<T>(e2e.baseURL, token, 'GET', path);

async function search(term: string): Promise<Product[]> {
  return (await get<{ products: Product[] }>(`/api/products?per_page=100&search=${encodeURIComponent(term)}`)).products;
}

/** Every product (active or not) and every category. */
async function counts() {
  const products = (await get<{ total: number }>('/api/products?per_page=1')).total;
  const categories = (await get<unknown[]>('/api/categories')).length;
  return { products, categories };
}

/** The CSV's lines, without the BOM, split into fields (the test's data has no quoted field). */
function rows(csv: string): string[][] {
  return csv
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(';'));
}

async function exportCsv(page: Page): Promise<{ csv: string; download: Download }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  await page.getByRole('status').filter({ hasText: 'baixado' }).waitFor();
  return { csv, download };
}

/** The file as Excel saves "CSV UTF-8": BOM, `;`, CRLF. */
function file(lines: string[]) {
  return { name: 'produtos.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8') };
}

beforeAll(async () => {
  token = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  const mercearia = await api<{ id: number }>(e2e.baseURL, token, 'POST', '/api/categories', { name: 'Mercearia' });
  const frios = await api<{ id: number }>(e2e.baseURL, token, 'POST', '/api/categories', { name: 'Frios' });
  const create = (body: Record<string, unknown>) => api(e2e.baseURL, token, 'POST', '/api/products', body);
  await create({ name: 'Café Torrado 500 g', code: 'CAF-1', barcodes: [CAFE_EAN], price: '18.90', cost_price: '12.00', stock: 24, min_stock: 5, category_id: mercearia.id });
  // 2 <= 5: low stock
  await create({ name: 'Arroz Tipo 1 5 kg', code: 'ARZ-1', price: '27.90', stock: 2, min_stock: 5, category_id: mercearia.id });
  await create({ name: 'Queijo Minas', code: 'QJ-1', unit: 'KG', price: '49.90', stock: 10, min_stock: 1, category_id: frios.id });
  await create({ name: 'Biscoito Antigo', code: 'BSC-0', price: '3.25', stock: 20, min_stock: 5, category_id: mercearia.id, active: false });
});

describe('Catálogo em planilha (CSV) no navegador', () => {
  it('"Exportar CSV" downloads the catalog for Excel pt-BR: BOM, `;`, the header, decimal commas', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByLabel('Situação').selectOption({ label: 'Todos' });
    await page.getByRole('cell', { name: /^Biscoito Antigo/ }).waitFor();
    const { csv, download } = await exportCsv(page);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(download.suggestedFilename()).toMatch(/^produtos.*\.csv$/);
    const [header, ...lines] = rows(csv);
    expect(header!.join(';')).toBe(HEADER);
    const byCode = new Map(lines.map((l) => [l[0], l]));
    // custo_medio is the server's (none yet: the opening stock came without a cost).
    expect(byCode.get('CAF-1')).toEqual(['CAF-1', 'Café Torrado 500 g', 'Mercearia', 'UN', '18,90', '12,00', expect.any(String), '5', '24', CAFE_EAN, 'sim', '']);
    expect(byCode.get('ARZ-1')?.slice(0, 5)).toEqual(['ARZ-1', 'Arroz Tipo 1 5 kg', 'Mercearia', 'UN', '27,90']);
    expect(byCode.get('QJ-1')?.slice(3, 5)).toEqual(['KG', '49,90']);
    expect(byCode.get('BSC-0')?.[10]).toBe('não');
    expect(lines).toHaveLength(4);
    await screenshot(page, 'csv01-exportado');
  });

  it('the export follows the page’s filters: "Só estoque baixo" is the restocking list', async () => {
    const { page } = await open();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByLabel('Situação').selectOption({ label: 'Todos' });
    await page.getByLabel('Só estoque baixo').check();
    await page.getByRole('cell', { name: 'Arroz Tipo 1 5 kg', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Café Torrado 500 g', exact: true }).waitFor({ state: 'detached' });
    const button = page.getByRole('button', { name: 'Exportar CSV' });
    expect(await button.getAttribute('title')).toMatch(/lista de reposição/);
    const low = rows((await exportCsv(page)).csv);
    expect(low[0]!.join(';')).toBe(HEADER);
    expect(low.slice(1).map((l) => l[0])).toEqual(['ARZ-1']);

    // "Inativos", every stock: the one inactive product.
    await page.getByLabel('Só estoque baixo').uncheck();
    await page.getByLabel('Situação').selectOption({ label: 'Inativos' });
    await page.getByRole('cell', { name: 'Arroz Tipo 1 5 kg', exact: true }).waitFor({ state: 'detached' });
    const inactive = rows((await exportCsv(page)).csv);
    expect(inactive.slice(1).map((l) => l[0])).toEqual(['BSC-0']);
  });

  it('a file with one bad line is refused whole, with its line and column; fixed, it is imported', async () => {
    const p = await open();
    const { page } = p;
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/produtos');
    await page.getByRole('cell', { name: 'Café Torrado 500 g', exact: true }).waitFor();
    const before = await counts();
    const good = [
      HEADER,
      // An existing code: updated (its stock is not touched).
      `CAF-1;Café Torrado 500 g;Mercearia;UN;19,50;12,00;;5;999;${CAFE_EAN};sim;Moído na hora`,
      `IMP-1;Importado Suco de Uva 1 L;Bebidas Importadas;UN;PRICE;6,10;;4;12;${SUCO_EAN};sim;`,
      'IMP-2;Importado Azeite 500 ml;Bebidas Importadas;UN;32,90;;;;8;;sim;Extra virgem',
      'IMP-3;Importado Castanha 1 kg;Mercearia;KG;89,90;;;0,500;2,250;;sim;',
    ];
    const withBadPrice = good.map((l) => l.replace('PRICE', 'abc'));
    const fixed = good.map((l) => l.replace('PRICE', '9,99'));

    await page.getByRole('button', { name: 'Importar CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importar produtos (CSV)' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('import-columns').textContent()).toBe(HEADER);
    await dialog.getByLabel('Arquivo CSV').setInputFiles(file(withBadPrice));
    await dialog.getByRole('button', { name: 'Importar' }).click();
    const problems = dialog.getByTestId('import-errors');
    await problems.waitFor();
    const cells = await problems.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(cells).toHaveLength(1);
    expect(cells[0]!.slice(0, 2)).toEqual(['3', 'preco']);
    expect(cells[0]![2]).toContain('"abc"');
    await dialog.getByRole('alert').filter({ hasText: 'Nada foi importado' }).waitFor();
    await screenshot(page, 'csv02-importacao-recusada');
    expect(p.httpErrors.some((e) => e.includes('400'))).toBe(true);

    // Nothing changed: no product of the file, the same counts, the coffee's price as it was.
    expect(await search('Importado')).toEqual([]);
    expect(await counts()).toEqual(before);
    const [cafe] = await search('CAF-1');
    expect([cafe?.price, cafe?.description]).toEqual([18.9, null]);

    await dialog.getByLabel('Arquivo CSV').setInputFiles(file(fixed));
    await expect.poll(() => problems.count()).toBe(0);
    await dialog.getByRole('button', { name: 'Importar' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Importação concluída' });
    await notice.waitFor();
    expect(await notice.textContent()).toBe('Importação concluída: 3 produtos criados, 1 atualizado, 1 categoria criada.');
    await dialog.waitFor({ state: 'hidden' });

    await page.getByLabel('Buscar por nome, código ou código de barras').fill('Importado');
    await page.getByRole('cell', { name: 'Arroz Tipo 1 5 kg', exact: true }).waitFor({ state: 'detached' });
    for (const name of ['Importado Suco de Uva 1 L', 'Importado Azeite 500 ml', 'Importado Castanha 1 kg']) {
      await page.getByRole('cell', { name, exact: true }).waitFor();
    }
    await page.getByRole('cell', { name: SUCO_EAN, exact: true }).waitFor();
    await screenshot(page, 'csv03-importado');

    const imported = await search('Importado');
    expect(imported.map((x) => [x.code, x.category_name, x.price, x.stock, x.unit, x.barcodes]).toSorted()).toEqual([
      ['IMP-1', 'Bebidas Importadas', 9.99, 12, 'UN', [SUCO_EAN]],
      ['IMP-2', 'Bebidas Importadas', 32.9, 8, 'UN', []],
      ['IMP-3', 'Mercearia', 89.9, 2.25, 'KG', []],
    ]);
    const [updated] = await search('CAF-1');
    expect(updated).toMatchObject({ price: 19.5, stock: 24, description: 'Moído na hora' });
    expect(await counts()).toEqual({ products: before.products + 3, categories: before.categories + 1 });
  });
});
