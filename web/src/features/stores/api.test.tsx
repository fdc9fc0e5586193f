import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { Store } from '../../api/types';
import { setSession } from '../../app/session';
import { json, store, user } from '../../test/fixtures';
import { storesQuery, useStoreChoice, useStores } from './api';

let answer: () => Promise<Response>;

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  vi.stubGlobal('fetch', vi.fn(async () => answer()));
});

function withStores(stores: Store[]) {
  answer = async () => json(200, stores);
}

function hook<T>(use: () => T) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ComponentChildren }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
  return renderHook(use, { wrapper: wrapper as never }).result;
}

const two = [store(1), store(2, { name: 'Loja Bairro' })];

describe('the stores', () => {
  it('one store: not several, and the PDV has nothing to choose (nothing is sent)', async () => {
    withStores([store(1)]);
    const r = hook(() => ({ all: useStores(), choice: useStoreChoice() }));
    await waitFor(() => expect(r.current.all.stores).toHaveLength(1));
    expect(r.current.all.several).toBe(false);
    expect(r.current.choice.store).toBeUndefined();
    expect(r.current.choice.stores).toEqual([]);
  });

  it('until GET /api/stores answers, or when it fails, there is one store', async () => {
    answer = async () => json(404, { error: 'Não encontrado' });
    const r = hook(() => ({ all: useStores(), choice: useStoreChoice() }));
    await new Promise((done) => setTimeout(done, 20));
    expect(r.current.all.several).toBe(false);
    expect(r.current.choice.store).toBeUndefined();
  });

  it('two stores, one closed: only one active store to sell in, so no choice either', async () => {
    withStores([store(1), store(2, { active: false })]);
    const r = hook(() => ({ all: useStores(), choice: useStoreChoice() }));
    await waitFor(() => expect(r.current.all.several).toBe(true)); // the history still shows stores
    expect(r.current.choice.store).toBeUndefined();
  });

  it('two active stores: the first until one is chosen; the choice is remembered on this device', async () => {
    withStores(two);
    const r = hook(() => useStoreChoice());
    await waitFor(() => expect(r.current.store?.id).toBe(1));
    expect(r.current.stores.map((s) => s.name)).toEqual(['Loja', 'Loja Bairro']);
    act(() => r.current.choose(2));
    expect(r.current.store?.name).toBe('Loja Bairro');
    expect(localStorage.getItem('sv.loja')).toBe('2');

    const again = hook(() => useStoreChoice()); // the page opened again on this computer
    await waitFor(() => expect(again.current.store?.id).toBe(2));
  });

  it('a remembered store that is closed now, or not the user’s, gives way to the first one', async () => {
    localStorage.setItem('sv.loja', '3');
    withStores([...two, store(3, { active: false })]);
    const r = hook(() => useStoreChoice());
    await waitFor(() => expect(r.current.store?.id).toBe(1));
    expect(r.current.stores.map((s) => s.id)).toEqual([1, 2]);
  });

  it('an open cash session fixes the store to its own', async () => {
    localStorage.setItem('sv.loja', '1');
    withStores(two);
    const r = hook(() => useStoreChoice(2));
    await waitFor(() => expect(r.current.store?.id).toBe(2));
    expect(r.current.locked).toBe(true);
  });

  it('names a store by id', async () => {
    withStores(two);
    const r = hook(() => useStores());
    await waitFor(() => expect(r.current.several).toBe(true));
    expect(r.current.name(2)).toBe('Loja Bairro');
    expect(r.current.name(9)).toBe('Loja 9');
  });

  it('is kept on the terminal per user: without the server, the last answer', async () => {
    withStores(two);
    const run = storesQuery.queryFn as () => Promise<Store[]>;
    expect(await run()).toEqual(two);
    await new Promise((done) => setTimeout(done, 20)); // the copy is written in the background
    answer = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await run()).toEqual(two);
    setSession({ token: 't', user: user(8) }); // another user on this terminal has no copy
    await expect(run()).rejects.toBeInstanceOf(ApiError);
  });
});
