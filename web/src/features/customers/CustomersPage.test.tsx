import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Customer } from '../../api/types';
import { setSession } from '../../app/session';
import { customer, info, json, user } from '../../test/fixtures';
import CustomersPage from './CustomersPage';

let known: Customer[];
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  known = [
    customer(1, { name: 'Ana Souza', document: '529.982.247-25', document_type: 'CPF', phone: '(11) 98765-4321', purchases_count: 2, total_spent: 42.88, last_purchase_at: '2026-11-29T17:05:00Z' }),
    customer(2, { name: 'Empresa Alfa', document: '12.ABC.345/01DE-35', document_type: 'CNPJ', email: 'compras@alfa.com.br' }),
  ];
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/customers' && (init?.method ?? 'GET') === 'GET') {
      const term = (u.searchParams.get('search') ?? '').toLowerCase();
      const found = known.filter((c) => c.name.toLowerCase().includes(term));
      return json(200, { customers: found, total: found.length, pages: 1, current_page: 1 });
    }
    if (u.pathname === '/api/customers' && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { name: string; document?: string };
      if (body.document === '12ABC34501DE3') return json(400, { error: 'CNPJ deve ter 14 caracteres' });
      if (body.name === 'Queda') return json(503, { error: 'Banco de dados indisponível; tente de novo' });
      const created = customer(3, { name: body.name, document: '12.ABC.345/01DE-35', document_type: 'CNPJ' });
      known.push(created);
      return json(201, created);
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function show() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <CustomersPage />
    </QueryClientProvider>,
  );
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
const searched = () =>
  fetchMock.mock.calls
    .map(([url, init]) => [new URL(String(url), 'http://x'), init] as const)
    .filter(([u, init]) => u.pathname === '/api/customers' && (init?.method ?? 'GET') === 'GET')
    .map(([u]) => u.searchParams.get('search'));

describe('the Clientes page', () => {
  it('lists the customers with their document, contacts and what they bought, and searches once the typing pauses', async () => {
    show();
    const table = await screen.findByTestId('customers-table');
    const first = within(table).getAllByRole('row')[1]!;
    expect(within(first).getAllByRole('cell').map((c) => plain(c.textContent)).slice(0, 7)).toEqual(['Ana Souza', 'CPF 529.982.247-25', '(11) 98765-4321', '—', '2', 'R$ 42,88', '29/11/2026']);
    expect(within(first).getByRole('link', { name: 'Ana Souza' }).getAttribute('href')).toBe('/clientes/1');

    const box = screen.getByLabelText('Buscar por nome ou CPF/CNPJ');
    fireEvent.input(box, { target: { value: 'a' } });
    fireEvent.input(box, { target: { value: 'alf' } });
    await waitFor(() => expect(within(screen.getByTestId('customers-table')).getAllByRole('row')).toHaveLength(2));
    expect(plain(screen.getByTestId('customers-table').textContent)).toContain('CNPJ 12.ABC.345/01DE-35');
    expect(searched()).toEqual([null, 'alf']);
    fireEvent.input(box, { target: { value: 'ninguém' } });
    expect(await screen.findByText('Nenhum cliente encontrado para “ninguém”.')).toBeTruthy();
  });

  it('"Novo cliente": the server’s refusal next to the field it names, another one above the form; saved, the list has it', async () => {
    show();
    await screen.findByTestId('customers-table');
    fireEvent.click(screen.getByRole('button', { name: '+ Novo cliente' }));
    const form = await screen.findByTestId('customer-form');
    fireEvent.input(within(form).getByLabelText('Nome *'), { target: { value: 'Queda' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Salvar' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('Banco de dados indisponível; tente de novo');

    fireEvent.input(within(form).getByLabelText('Nome *'), { target: { value: 'Empresa Beta' } });
    fireEvent.input(within(form).getByLabelText('CPF ou CNPJ'), { target: { value: '12ABC34501DE3' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Salvar' }));
    await waitFor(() => expect(document.getElementById('customer-document-error')?.textContent).toBe('CNPJ deve ter 14 caracteres'));
    expect(within(form).getByLabelText('CPF ou CNPJ').getAttribute('aria-invalid')).toBe('true');

    fireEvent.input(within(form).getByLabelText('CPF ou CNPJ'), { target: { value: '12ABC34501DE35' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Salvar' }));
    expect((await screen.findByText('Cliente “Empresa Beta” cadastrado.')).getAttribute('role')).toBe('status');
    expect(screen.queryByTestId('customer-form')).toBeNull();
    await waitFor(() => expect(plain(screen.getByTestId('customers-table').textContent)).toContain('Empresa Beta'));
  });
});
