import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store, Terminal } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, json, settings, store, terminal } from '../../test/fixtures';
import SettingsPage from './SettingsPage';

let stores: Store[];
let terminals: Terminal[];
let refuse: { status: number; error: string } | null;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  stores = [store(1)];
  terminals = [];
  refuse = null;
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    if (url === '/api/settings') return json(200, settings());
    if (method !== 'GET' && refuse) return json(refuse.status, { error: refuse.error });
    if (url === '/api/stores' && method === 'GET') return json(200, stores);
    if (url === '/api/terminals' && method === 'GET') return json(200, terminals);
    if (url === '/api/stores') {
      const created = store(stores.length + 1, { name: String(body.name) });
      stores = [...stores, created];
      return json(201, created);
    }
    if (url === '/api/terminals') {
      const created = terminal(terminals.length + 1, { store_id: Number(body.store_id), name: String(body.name) });
      terminals = [...terminals, created];
      return json(201, created);
    }
    const [, kind, id] = /^\/api\/(stores|terminals)\/(\d+)$/.exec(url) ?? [];
    if (kind === 'stores') {
      stores = stores.map((s) => (s.id === Number(id) ? { ...s, ...body } : s));
      return json(200, stores.find((s) => s.id === Number(id)));
    }
    if (kind === 'terminals') {
      terminals = terminals.map((t) => (t.id === Number(id) ? { ...t, ...body } : t));
      return json(200, terminals.find((t) => t.id === Number(id)));
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function renderPage() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <SettingsPage />
    </QueryClientProvider>,
  );
}

const sent = (url: string, method: string) =>
  fetchMock.mock.calls.filter(([u, i]) => u === url && i?.method === method).map(([, i]) => JSON.parse(String(i.body)) as unknown);

const section = () => within(screen.getByTestId('stores'));

describe('"Lojas e terminais" in the settings', () => {
  it('a one-store shop sees its store and where to add another', async () => {
    renderPage();
    await screen.findByRole('heading', { name: 'Lojas e terminais' });
    await waitFor(() => expect(screen.getByTestId('store-1').textContent).toContain('Loja'));
    expect(section().getByLabelText('Nova loja')).toBeTruthy();
    expect(section().getByRole('button', { name: 'Adicionar loja' })).toBeTruthy();
  });

  it('adds a store, which then gets its terminals; a refused name is said next to its field', async () => {
    renderPage();
    await screen.findByTestId('stores');
    const name = await section().findByLabelText('Nova loja');
    refuse = { status: 422, error: 'Já existe uma loja com este nome' };
    fireEvent.input(name, { target: { value: 'Loja' } });
    fireEvent.click(section().getByRole('button', { name: 'Adicionar loja' }));
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe('Já existe uma loja com este nome');

    refuse = null;
    fireEvent.input(name, { target: { value: '  Loja Bairro ' } });
    fireEvent.click(section().getByRole('button', { name: 'Adicionar loja' }));
    await screen.findByTestId('store-2');
    expect(sent('/api/stores', 'POST').at(-1)).toEqual({ name: 'Loja Bairro' });
    expect((name as HTMLInputElement).value).toBe('');
    expect(name.getAttribute('aria-invalid')).toBeNull();

    const store2 = within(screen.getByTestId('store-2'));
    fireEvent.input(store2.getByLabelText('Novo terminal em Loja Bairro'), { target: { value: 'Caixa 1' } });
    fireEvent.click(store2.getByRole('button', { name: 'Adicionar terminal' }));
    await store2.findByText('Caixa 1');
    expect(sent('/api/terminals', 'POST')).toEqual([{ store_id: 2, name: 'Caixa 1' }]);
  });

  it('renames a store, and closes and reopens a terminal', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    terminals = [terminal(4, { store_id: 2, name: 'Caixa 1' })];
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Renomear Loja Bairro' }));
    const field = screen.getByLabelText('Novo nome de Loja Bairro') as HTMLInputElement;
    expect(field.value).toBe('Loja Bairro');
    fireEvent.input(field, { target: { value: 'Loja do Bairro' } });
    fireEvent.click(within(screen.getByTestId('store-2')).getByRole('button', { name: 'Salvar' }));
    await screen.findByRole('button', { name: 'Renomear Loja do Bairro' });
    expect(sent('/api/stores/2', 'PUT')).toEqual([{ name: 'Loja do Bairro' }]);

    fireEvent.click(screen.getByRole('button', { name: 'Desativar Caixa 1' }));
    await screen.findByRole('button', { name: 'Reativar Caixa 1' });
    expect(within(screen.getByTestId('store-2')).getByText('Desativado')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reativar Caixa 1' }));
    await screen.findByRole('button', { name: 'Desativar Caixa 1' });
    expect(sent('/api/terminals/4', 'PUT')).toEqual([{ active: false }, { active: true }]);
  });

  it('a closed store shows so and can be reopened; the last open one cannot close, and says why next to the button', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro', active: false })];
    renderPage();
    const store2 = within(await screen.findByTestId('store-2'));
    expect(store2.getByText('Desativada')).toBeTruthy();
    expect(store2.queryByLabelText(/Novo terminal/)).toBeNull(); // no new terminals in a closed store

    refuse = { status: 409, error: 'Pelo menos uma loja precisa continuar ativa' };
    const close = screen.getByRole('button', { name: 'Desativar Loja' });
    fireEvent.click(close);
    await waitFor(() => expect(close.getAttribute('aria-describedby')).toBe('store-1-error'));
    expect(document.getElementById('store-1-error')?.textContent).toBe('Pelo menos uma loja precisa continuar ativa');

    refuse = null;
    fireEvent.click(store2.getByRole('button', { name: 'Reativar Loja Bairro' }));
    await store2.findByRole('button', { name: 'Desativar Loja Bairro' });
    expect(sent('/api/stores/2', 'PUT')).toEqual([{ active: true }]);
  });
});
