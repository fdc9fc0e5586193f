import { renderHook } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Product } from '../../api/types';
import { setSession } from '../../app/session';
import { json, product, user } from '../../test/fixtures';
import { CodeIndex } from './codeIndex';
import { type ScannerActions, useScanner } from './useScanner';

const cafe = product(1, { name: 'Café', code: '7891000100103', price: 14.99 });
const agua = product(2, { name: 'Água', code: '7894900011517', price: 2.5 });

/** The server's catalog; a code listed in `slow` answers only when `release()` is called. */
let server: Product[];
let slow: Set<string>;
let gate: Promise<void>;
let release: () => void;
let fetchMock: ReturnType<typeof vi.fn>;
/** Scale labels the server reads: label -> its answer. */
let labels: Map<string, () => Response>;

beforeEach(() => {
  setSession({ token: 't', user: user(1) });
  server = [cafe, agua];
  labels = new Map();
  slow = new Set();
  gate = new Promise<void>((r) => (release = r));
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    const code = u.searchParams.get('code');
    const search = u.searchParams.get('search');
    if (code && slow.has(code)) await gate;
    if (u.pathname === '/api/products/lookup') {
      if (code && labels.has(code)) return labels.get(code)!();
      const p = server.find((x) => x.code === code || x.barcodes.includes(code ?? ''));
      return p
        ? json(200, { product: p, source: p.code === code ? 'codigo' : 'codigo_de_barras', quantity: null, amount: null })
        : json(404, { error: `Nenhum produto com o código ${code}` });
    }
    const products = code
      ? server.filter((p) => p.code === code)
      : server.filter((p) => p.name.toLowerCase().includes((search ?? '').toLowerCase()));
    return json(200, { products, total: products.length, pages: 1, current_page: 1 });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function scanner(index = new CodeIndex(), storeId?: number) {
  const actions = {
    index,
    storeId,
    add: vi.fn<ScannerActions['add']>(),
    refresh: vi.fn<ScannerActions['refresh']>(),
    notify: vi.fn<ScannerActions['notify']>(),
    retype: vi.fn<ScannerActions['retype']>(),
  };
  const { result } = renderHook(() => useScanner(actions));
  return { scan: result.current, ...actions };
}

const added = (add: ReturnType<typeof vi.fn>) => add.mock.calls.map(([p, q]) => [(p as Product).name, q]);

describe('the scanner', () => {
  it('handles scans in the order they came, even when the next one arrives before a lookup ends', async () => {
    slow.add(cafe.code!);
    const s = scanner();
    const first = s.scan(cafe.code!);
    const second = s.scan(agua.code!);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.add).not.toHaveBeenCalled(); // the second waits for the first
    release();
    await Promise.all([first, second]);
    expect(added(s.add)).toEqual([['Café', 1], ['Água', 1]]);
  });

  it('adds a code it knows at once, without waiting for the server, and then confirms it', async () => {
    const index = new CodeIndex();
    index.remember([cafe]);
    slow.add(cafe.code!);
    server = [{ ...cafe, price: 15.99 }];
    const s = scanner(index);
    await s.scan(`3*${cafe.code}`);
    expect(added(s.add)).toEqual([['Café', 3]]);
    expect(s.refresh).not.toHaveBeenCalled();
    release();
    await vi.waitFor(() => expect(s.refresh).toHaveBeenCalledWith(1, expect.objectContaining({ price: 15.99 })));
    expect(index.get(cafe.code!)?.price).toBe(15.99);
  });

  it('reads codes and names for the store the PDV sells in (its stock and prices)', async () => {
    const s = scanner(new CodeIndex(), 2);
    await s.scan(agua.code!);
    await s.scan('caf');
    const asked = fetchMock.mock.calls.map(([url]) => new URL(url as string, 'http://x'));
    expect(asked.map((u) => [u.pathname, u.searchParams.get('store_id')])).toEqual([
      ['/api/products/lookup', '2'],
      ['/api/products/lookup', '2'],
      ['/api/products', '2'],
    ]);
    expect(added(s.add)).toEqual([['Água', 1], ['Café', 1]]);
  });

  it('asks the server for a code it does not know, and remembers the answer', async () => {
    const index = new CodeIndex();
    const s = scanner(index);
    await s.scan(agua.code!);
    expect(added(s.add)).toEqual([['Água', 1]]);
    expect(index.get(agua.code!)).toEqual(agua);
  });

  it('a scan made while the terminal’s copy of the catalog is still being read waits for it, and the server is not asked', async () => {
    const index = new CodeIndex();
    let copyRead!: () => void;
    index.loadingCopy(new Promise<void>((r) => (copyRead = r)).then(() => index.remember([cafe])));
    fetchMock.mockImplementation(async () => Promise.reject(new TypeError('Failed to fetch'))); // the server is down
    const s = scanner(index);
    const scanned = s.scan(cafe.code!);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.add).not.toHaveBeenCalled();
    copyRead();
    await scanned;
    expect(added(s.add)).toEqual([['Café', 1]]);
    expect(s.notify).not.toHaveBeenCalled();
  });

  it('uses the row chosen with the arrows before any lookup', async () => {
    const s = scanner();
    await s.scan('ca', cafe, true);
    expect(added(s.add)).toEqual([['Café', 1]]);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('a name that is not a code: the highlighted row, or the only product found', async () => {
    const s = scanner();
    await s.scan('água', agua, false);
    await s.scan('caf');
    expect(added(s.add)).toEqual([['Água', 1], ['Café', 1]]);
  });

  it('says when nothing is found, and shows the text again when several products match', async () => {
    const s = scanner();
    await s.scan('pão');
    expect(s.notify).toHaveBeenLastCalledWith({ kind: 'error', text: 'Produto não encontrado: “pão”.' });
    await s.scan('a');
    expect(s.retype).toHaveBeenCalledWith('a');
    expect(s.notify).toHaveBeenLastCalledWith({ kind: 'info', text: '2 produtos encontrados: escolha com ↑ ↓ e Enter.' });
    expect(s.add).not.toHaveBeenCalled();
  });

  it('a scale label always goes to the server and adds its weight, or its price, with the label', async () => {
    const queijo = product(3, { name: 'Queijo', code: '123', unit: 'KG', price: 29.9, stock: 5 });
    labels.set('2001230003555', () => json(200, { product: queijo, source: 'balanca', quantity: 0.355, amount: null }));
    labels.set('2012300012346', () => json(200, { product: queijo, source: 'balanca', quantity: 0.413, amount: 12.34 }));
    const index = new CodeIndex();
    const s = scanner(index);
    await s.scan('2001230003555');
    await s.scan('2012300012346');
    expect(s.add.mock.calls).toEqual([
      [queijo, 0.355, { code: '2001230003555', quantity: 0.355, amount_cents: null }],
      [queijo, 0.413, { code: '2012300012346', quantity: 0.413, amount_cents: 1234 }],
    ]);
    // The label itself is never taken for a code of the local index.
    expect(index.get('2001230003555')).toBeUndefined();
  });

  it('an unknown label, or one with a wrong check digit, shows the server’s message', async () => {
    labels.set('2099900012341', () => json(404, { error: 'Etiqueta da balança com o código 99900, que não é de nenhum produto ativo' }));
    labels.set('2001230003554', () => json(400, { error: 'Etiqueta da balança com dígito verificador errado: 2001230003554' }));
    const s = scanner();
    await s.scan('2099900012341');
    expect(s.notify).toHaveBeenLastCalledWith({ kind: 'error', text: 'Etiqueta da balança com o código 99900, que não é de nenhum produto ativo' });
    await s.scan('2001230003554');
    expect(s.notify).toHaveBeenLastCalledWith({ kind: 'error', text: 'Etiqueta da balança com dígito verificador errado: 2001230003554' });
    expect(s.add).not.toHaveBeenCalled();
  });

  it('answers any barcode of a product from the local index', async () => {
    const leite = product(4, { name: 'Leite', code: 'LEI-1', barcodes: ['7891234567895', '78912342'] });
    server.push(leite);
    const index = new CodeIndex();
    index.remember([leite]);
    slow.add('78912342');
    const s = scanner(index);
    await s.scan('2*78912342');
    expect(added(s.add)).toEqual([['Leite', 2]]);
    release();
  });

  it('reports a server error, except a 401 (the login takes over and the cart is kept)', async () => {
    fetchMock.mockResolvedValueOnce(json(500, { error: 'Banco de dados indisponível' }));
    const s = scanner();
    await s.scan('7890000000009');
    expect(s.notify).toHaveBeenLastCalledWith({ kind: 'error', text: 'Banco de dados indisponível' });
    s.notify.mockClear();
    fetchMock.mockResolvedValueOnce(json(401, { error: 'Token expirado' }));
    await s.scan('7890000000009');
    expect(s.notify).not.toHaveBeenCalled();
  });
});
