import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, store, user } from '../../test/fixtures';
import UsersPage from './UsersPage';

let stores: Store[];
let fetchMock: ReturnType<typeof vi.fn>;
const maria = user(3, { username: 'maria', store_ids: [2] });

beforeEach(() => {
  setSession({ token: 't', user: admin });
  stores = [store(1)];
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/info') return json(200, info);
    if (url === '/api/stores') return json(200, stores);
    if (url === '/api/users' && init?.method === 'POST') return json(201, user(4, JSON.parse(String(init.body))));
    if (url === '/api/users') return json(200, [admin, maria]);
    if (url === '/api/users/3') return json(200, maria);
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function renderPage() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <UsersPage />
    </QueryClientProvider>,
  );
}

const bodyOf = (url: string, method: string) => JSON.parse(String(fetchMock.mock.calls.find(([u, i]) => u === url && i?.method === method)![1].body)) as Record<string, unknown>;

async function createBia() {
  fireEvent.click(screen.getByRole('button', { name: '+ Novo usuário' }));
  fireEvent.input(screen.getByLabelText('Usuário *'), { target: { value: 'bia' } });
  fireEvent.input(screen.getByLabelText('Senha *'), { target: { value: 'bia12345' } });
}

describe('the users page and the stores', () => {
  it('one store: no "Lojas" anywhere, and a new user goes without store_ids', async () => {
    renderPage();
    await screen.findByTestId('users-table');
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/stores')).toBe(true));
    expect(screen.queryByRole('columnheader', { name: 'Lojas' })).toBeNull();
    await createBia();
    expect(screen.queryByRole('group', { name: 'Lojas' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Salvar' }));
    await screen.findByText('Usuário “bia” criado.');
    expect(bodyOf('/api/users', 'POST')).toEqual({ username: 'bia', password: 'bia12345', role: 'funcionario' });
  });

  it('two stores: the list shows each user’s stores and the form chooses them (the whole list is sent)', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' }), store(3, { name: 'Antiga', active: false })];
    renderPage();
    await screen.findByRole('columnheader', { name: 'Lojas' });
    const row = screen.getByText('maria').closest('tr')!;
    expect(within(row).getByText('Loja Bairro')).toBeTruthy();

    await createBia();
    const group = within(screen.getByRole('group', { name: 'Lojas' }));
    expect(group.getByText('(desativada)')).toBeTruthy();
    fireEvent.click(group.getByLabelText('Loja Bairro'));
    fireEvent.click(screen.getByRole('button', { name: 'Salvar' }));
    await screen.findByText('Usuário “bia” criado.');
    expect(bodyOf('/api/users', 'POST')).toEqual({ username: 'bia', password: 'bia12345', role: 'funcionario', store_ids: [2] });

    fireEvent.click(screen.getByRole('button', { name: 'Editar maria' }));
    const edit = within(screen.getByRole('group', { name: 'Lojas' }));
    expect((edit.getByLabelText('Loja Bairro') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(edit.getByLabelText(/^Loja$/));
    fireEvent.click(screen.getByRole('button', { name: 'Salvar' }));
    await screen.findByText('Usuário “maria” atualizado.');
    expect(bodyOf('/api/users/3', 'PUT')).toMatchObject({ store_ids: [2, 1] });
  });
});
