import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, product } from '../../test/fixtures';
import { CodeIndex, preloadCatalog } from './codeIndex';

afterEach(() => vi.unstubAllGlobals());

describe('the local catalog', () => {
  it('knows products by code; a sale takes what it sold off the stock it knows', () => {
    const index = new CodeIndex();
    index.remember([product(1, { code: 'A', stock: 5 }), product(2, { code: null }), product(3, { code: 'C', stock: 2 })]);
    expect(index.size).toBe(2);
    index.sold([{ code: 'A', quantity: 3 }, { code: null, quantity: 1 }, { code: 'X', quantity: 1 }]);
    expect(index.get('A')?.stock).toBe(2);
    expect(index.get('C')?.stock).toBe(2);
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
