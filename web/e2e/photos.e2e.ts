// Product photos end to end, against the real binary and Debian's Chromium: a photo chosen in
// the product form (with its preview), saved, then shown as a thumbnail in the product list and
// in the PDV's search results, and removed again from the form.
import type { Locator } from 'playwright-core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, loginUI, screenshot } from './browser';

const e2e = e2eSuite('photos');

/** A 400 x 300 PNG: a red and blue gradient. */
function photo(): Buffer {
  const png = new PNG({ width: 400, height: 300 });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) << 2;
      png.data[i] = 200;
      png.data[i + 1] = Math.round((x / png.width) * 255);
      png.data[i + 2] = Math.round((y / png.height) * 255);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** The natural size of an image once the browser has loaded it. */
async function loadedSize(img: Locator): Promise<[number, number]> {
  await img.waitFor();
  await img.evaluate((el: HTMLImageElement) => (el.complete ? null : new Promise((ok) => el.addEventListener('load', ok))));
  return img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight] as [number, number]);
}

beforeAll(async () => {
  const token = await apiLogin(e2e.baseURL, 'admin', 'admin123');
  await api(e2e.baseURL, token, 'POST', '/api/categories', { name: 'Mercearia' });
});

describe('fotos de produtos', () => {
  it('a photo uploaded in the product form shows in the product list and in the PDV results', async () => {
    const { page } = await e2e.open();
    await loginUI(page, 'admin', 'admin123');

    await page.goto('/produtos');
    await page.getByRole('button', { name: '+ Novo produto' }).click();
    await page.getByLabel('Nome *').fill('Geleia de Morango 300g');
    await page.getByLabel('Código interno (SKU)').fill('GELEIA-1');
    await page.getByLabel('Categoria *').selectOption({ label: 'Mercearia' });
    await page.getByLabel('Preço (R$) *').fill('12,90');
    await page.getByLabel('Estoque inicial').fill('8');
    await page.locator('#product-photo').setInputFiles({ name: 'geleia.png', mimeType: 'image/png', buffer: photo() });
    expect(await loadedSize(page.getByTestId('product-photo-preview'))).toEqual([400, 300]);
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('status').filter({ hasText: 'cadastrado' }).waitFor();

    // The list: a thumbnail made by the server (160 px wide), shown at a fixed size.
    const row = page.getByRole('row').filter({ hasText: 'GELEIA-1' });
    const thumb = row.locator('img');
    expect(await loadedSize(thumb)).toEqual([160, 120]);
    expect(await thumb.getAttribute('src')).toMatch(/^\/api\/photos\/[0-9a-f]{64}\.jpg$/);
    expect(await thumb.getAttribute('loading')).toBe('lazy');
    const box = await thumb.boundingBox();
    expect([box?.width, box?.height]).toEqual([40, 40]);
    await screenshot(page, 'fotos-01-lista');

    // The PDV: the same thumbnail in the search results.
    await page.goto('/pdv');
    await page.getByLabel(/Código de barras ou nome/).fill('geleia');
    const option = page.getByRole('option', { name: /Geleia de Morango 300g/ });
    await option.waitFor();
    expect(await loadedSize(option.locator('img'))).toEqual([160, 120]);
    await screenshot(page, 'fotos-02-pdv');

    // Removed from the form: the list shows the empty square again.
    await page.goto('/produtos');
    await page.getByRole('row').filter({ hasText: 'GELEIA-1' }).getByRole('button', { name: /Editar/ }).click();
    expect(await loadedSize(page.getByTestId('product-photo-preview'))).toEqual([400, 300]);
    await page.getByRole('button', { name: 'Remover foto' }).click();
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByRole('status').filter({ hasText: /atualizado|salvo/ }).waitFor();
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="products-table"] tbody tr')].every((tr) => !tr.querySelector('img')),
    );
  });
});
