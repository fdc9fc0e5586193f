import { renderHook } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Product } from '../../api/types';
import { setSession } from '../../app/session';
import { json, product } from '../../test/fixtures';
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

beforeEach(() => {
  setSession({ token: 't', user: { id: 1, username: 'caixa', role: 'funcionario', active: true, created_at: '2026-11-01T10:00:00Z' } });
  server = [cafe, agua];
  slow = new Set();
  gate = new Promise<void>((r) => (release = r));
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    const code = u.searchParams.get('code');
    const search = u.searchParams.get('search');
    if (code && slow.has(code)) await gate;
    const products = code
      ? server.filter((p) => p.code === code)
      : server.filter((p) => p.name.toLowerCase().includes((search ?? '').toLowerCase()));
    return json(200, { products, total: products.length, pages: 1, current_page: 1 });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function scanner(index = new CodeIndex()) {
  const actions = {
    index,
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

  it('asks the server for a code it does not know, and remembers the answer', async () => {
    const index = new CodeIndex();
    const s = scanner(index);
    await s.scan(agua.code!);
    expect(added(s.add)).toEqual([['Água', 1]]);
    expect(index.get(agua.code!)).toEqual(agua);
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
