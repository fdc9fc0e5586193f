import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, product } from '../../test/fixtures';
import { CodeIndex, preloadCatalog } from './codeIndex';

afterEach(() => vi.unstubAllGlobals());

describe('the local catalog', () => {
  it('knows products by code; a sale takes what it sold off the stock it knows', () => {
    const index = new CodeIndex();
    index.remember([product(1, { code: 'A', stock: 5 }), product(2, { code: null }), product(3, { code: 'C', stock: 2 })]);
    expect(index.size).toBe(2);
    index.sold([{ product_id: 1, quantity: 3 }, { product_id: 2, quantity: 1 }, { product_id: 9, quantity: 1 }]);
    expect(index.get('A')?.stock).toBe(2);
    expect(index.get('C')?.stock).toBe(2);
  });

  it('knows products by every barcode too, forgets inactive ones, and takes weights off exactly', () => {
    const index = new CodeIndex();
    index.remember([product(1, { code: '123', barcodes: ['7891000100103', '78912342'], unit: 'KG', stock: 1.2 })]);
    expect(index.get('78912342')?.id).toBe(1);
    expect(index.get('7891000100103')?.id).toBe(1);
    expect(index.get('123')?.id).toBe(1);
    index.sold([{ product_id: 1, quantity: 0.355 }]);
    expect(index.get('123')?.stock).toBe(0.845);
    // A barcode removed from the product, and then the product made inactive.
    index.update(product(1, { code: '123', barcodes: ['78912342'], unit: 'KG' }));
    expect(index.get('7891000100103')).toBeUndefined();
    index.update(product(1, { code: '123', barcodes: ['78912342'], active: false }));
    expect(index.get('78912342')).toBeUndefined();
    expect(index.get('123')).toBeUndefined();
  });

  it('loads every page and reports the progress', async () => {
    const pages = [[product(1, { code: 'A' })], [product(2, { code: 'B' })]];
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      const page = Number(new URL(url, 'http://x').searchParams.get('page'));
      return json(200, { products: pages[page - 1], total: 2, pages: 2, current_page: page });
    }));
    const index = new CodeIndex();
    const progress: [number, number][] = [];
    await preloadCatalog(index, new AbortController().signal, (loaded, total) => progress.push([loaded, total]));
    expect(progress).toEqual([[1, 2], [2, 2], [2, 2]]);
    expect(index.get('B')?.id).toBe(2);
  });
});
