import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCopy, saveCopy } from '../../api/offlineCopy';
import { json, keptSale, product } from '../../test/fixtures';
import { CodeIndex, preloadCatalog, searchKey } from './codeIndex';
import { keepSale } from './offline/outbox';

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

  it('loads the whole catalog in one request and says how many products it holds', async () => {
    const fetch = vi.fn(async (_url: string) => json(200, { version: '7', products: [product(1, { code: 'A' }), product(2, { code: 'B', barcodes: ['78912342'] })] }));
    vi.stubGlobal('fetch', fetch);
    const index = new CodeIndex();
    const loaded: unknown[] = [];
    await preloadCatalog(index, new AbortController().signal, undefined, (status) => loaded.push(status));
    expect(loaded).toEqual([{ total: 2, copy: false }]);
    expect(index.get('78912342')?.id).toBe(2);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String(fetch.mock.calls[0]?.[0])).toContain('/api/products/catalog');
  });

  it('searches names and codes as the server does: no accents or case, the exact code first, digits only exact', () => {
    expect(searchKey('  Café\tTORRADO  ')).toBe('cafe torrado');
    const index = new CodeIndex();
    index.remember([
      product(1, { name: 'Pão de queijo', code: 'PQ-1' }),
      product(2, { name: 'Queijo minas', code: 'QJ-2', barcodes: ['7891000100103'] }),
      product(3, { name: 'Café', code: 'QUEIJO', barcodes: [] }),
      product(4, { name: 'Sem código', code: null }),
    ]);
    expect(index.search('QUEIJO', 20).map((p) => p.id)).toEqual([3, 1, 2]);
    expect(index.search('queijo', 2).map((p) => p.id)).toEqual([1, 2]);
    expect(index.search('pao', 20).map((p) => p.id)).toEqual([1]);
    expect(index.search('sem cod', 20).map((p) => p.id)).toEqual([4]);
    expect(index.search('qj-2', 20).map((p) => p.id)).toEqual([2]);
    expect(index.search('7891000100103', 20).map((p) => p.id)).toEqual([2]);
    expect(index.search('78910', 20)).toEqual([]);
    index.update(product(1, { name: 'Pão de queijo', code: 'PQ-1', active: false }));
    expect(index.search('queijo', 20).map((p) => p.id)).toEqual([2, 3]);
  });
});

const catalog = (...products: ReturnType<typeof product>[]) => ({ version: '7', products });
const etagged = (body: unknown, etag: string) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ETag: etag } });

describe('the catalog kept on the terminal', () => {

  it('keeps the catalog with its ETag, asks again with If-None-Match, and a 304 keeps the copy', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => etagged(catalog(product(1, { code: 'A' })), '"7"')));
    await preloadCatalog(new CodeIndex(), new AbortController().signal);
    expect(await readCopy('catalogo')).toMatchObject({ etag: '"7"', value: { products: [{ id: 1 }] } });

    const notModified = vi.fn(async (_url: string, _init?: RequestInit) => new Response(null, { status: 304 }));
    vi.stubGlobal('fetch', notModified);
    const index = new CodeIndex();
    const loaded: unknown[] = [];
    await preloadCatalog(index, new AbortController().signal, undefined, (s) => loaded.push(s));
    expect((notModified.mock.calls[0]![1]!.headers as Record<string, string>)['If-None-Match']).toBe('"7"');
    expect(loaded).toEqual([{ total: 1, copy: true }, { total: 1, copy: false }]);
    expect(index.get('A')?.id).toBe(1);
  });

  it('without the server the copy is the catalog; the server’s answer replaces it whole (a product gone is forgotten)', async () => {
    await saveCopy('catalogo', catalog(product(1, { code: 'A' }), product(2, { code: 'B' })), '"6"');
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const index = new CodeIndex();
    const loaded: unknown[] = [];
    await expect(preloadCatalog(index, new AbortController().signal, undefined, (s) => loaded.push(s))).rejects.toMatchObject({ status: 0 });
    expect(loaded).toEqual([{ total: 2, copy: true }]);
    expect(index.get('B')?.id).toBe(2);

    vi.stubGlobal('fetch', vi.fn(async () => etagged(catalog(product(1, { code: 'A', price: 12 })), '"8"')));
    await preloadCatalog(index, new AbortController().signal);
    expect(index.get('B')).toBeUndefined();
    expect(index.get('A')?.price).toBe(12);
  });

  it('takes the sales still waiting on the terminal off the stock (the server does not count them yet)', async () => {
    await keepSale(keptSale('a', '2026-12-01T10:00:00Z')); // one of product 1
    vi.stubGlobal('fetch', vi.fn(async () => etagged(catalog(product(1, { code: 'A', stock: 5 })), '"7"')));
    const index = new CodeIndex();
    await preloadCatalog(index, new AbortController().signal);
    expect(index.get('A')?.stock).toBe(4);
  });
});
