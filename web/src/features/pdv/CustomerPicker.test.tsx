import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Customer, SaleCustomer } from '../../api/types';
import { setSession } from '../../app/session';
import { customer, json, user } from '../../test/fixtures';
import { CustomerPicker, prefill } from './CustomerPicker';

const ana = customer(3, { name: 'Ana Souza', document: '529.982.247-25', document_type: 'CPF', phone: '(11) 98765-4321' });
const anaClara = customer(4, { name: 'Ana Clara Lima' });
let known: Customer[];
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  known = [ana, anaClara];
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/customers' && (init?.method ?? 'GET') === 'GET') {
      // As the server: part of the name, or the start of the document's digits.
      const term = (u.searchParams.get('search') ?? '').toLowerCase();
      const digits = term.replace(/\D/g, '');
      const found = known.filter((c) => c.name.toLowerCase().includes(term) || (digits && c.document?.replace(/\D/g, '').startsWith(digits)));
      return json(200, { customers: found, total: found.length, pages: 1, current_page: 1 });
    }
    if (u.pathname === '/api/customers' && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { name: string; document?: string; phone?: string };
      if (body.document === '529.982.247-24') return json(400, { error: 'CPF inválido: dígito verificador não confere' });
      if (body.phone === '12') return json(400, { error: 'Telefone inválido: use de 8 a 15 dígitos, com DDD (ex.: (11) 98765-4321)' });
      return json(201, customer(9, { name: body.name, document: body.document ?? null, document_type: body.document ? 'CPF' : null, phone: body.phone ?? null }));
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function show(current: SaleCustomer | null = null) {
  const onPick = vi.fn();
  const onRemove = vi.fn();
  const onClose = vi.fn();
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <CustomerPicker open current={current} onPick={onPick} onRemove={onRemove} onClose={onClose} />
    </QueryClientProvider>,
  );
  return { onPick, onRemove, onClose, box: screen.getByLabelText('Nome ou CPF/CNPJ do cliente') as HTMLInputElement };
}

const searches = () =>
  fetchMock.mock.calls.filter(([url, init]) => String(url).startsWith('/api/customers') && (init?.method ?? 'GET') === 'GET').map(([url]) => new URL(String(url), 'http://x').searchParams.get('search'));
const posts = () => fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST').map(([, init]) => JSON.parse(String(init.body)) as Record<string, unknown>);
const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

describe('the PDV’s customer picker', () => {
  it('starts in the search box; searches once the typing pauses; ↑/↓ move and Enter chooses', async () => {
    const { box, onPick } = show();
    await waitFor(() => expect(document.activeElement).toBe(box));
    type(box, 'a');
    type(box, 'an');
    type(box, 'ana');
    await screen.findByRole('option', { name: /Ana Clara Lima/ });
    expect(searches()).toEqual(['ana']); // one request, for what was typed when the typing paused
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    expect(options[0]!.textContent).toContain('CPF 529.982.247-25 · (11) 98765-4321');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    await waitFor(() => expect(screen.getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true'));
    expect(box.getAttribute('aria-activedescendant')).toBe('pdv-customer-4');
    fireEvent.keyDown(box, { key: 'ArrowDown' }); // stays on the last
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onPick).toHaveBeenCalledWith({ id: 4, name: 'Ana Clara Lima', document: null });
  });

  it('Enter before the answer for what is typed searches at once and chooses nothing from an older list', async () => {
    const { box, onPick } = show();
    type(box, 'ana');
    await screen.findByRole('option', { name: /Ana Clara/ });
    type(box, '52998');
    fireEvent.keyDown(box, { key: 'Enter' }); // the list is still "ana"'s: search now instead
    expect(onPick).not.toHaveBeenCalled();
    await waitFor(() => expect(searches()).toEqual(['ana', '52998']));
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onPick).toHaveBeenCalledWith({ id: 3, name: 'Ana Souza', document: '529.982.247-25' });
  });

  it('nobody found: Enter opens the new customer’s form with the name typed; the server’s refusal goes next to its field; fixed, created and chosen', async () => {
    const { box, onPick } = show();
    type(box, 'Maria Lopes');
    await screen.findByText('Nenhum cliente encontrado para “Maria Lopes”.');
    fireEvent.keyDown(box, { key: 'Enter' });
    const name = (await screen.findByLabelText('Nome *')) as HTMLInputElement;
    expect(name.value).toBe('Maria Lopes');
    const doc = screen.getByLabelText('CPF ou CNPJ') as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(doc)); // the first field still empty
    expect(screen.queryByLabelText('E-mail')).toBeNull(); // the PDV asks only name, document and phone

    type(doc, '529.982.247-24');
    type(screen.getByLabelText('Telefone'), '(11) 91234-5678');
    fireEvent.click(screen.getByRole('button', { name: 'Cadastrar e usar na venda' }));
    const error = await screen.findByText('CPF inválido: dígito verificador não confere');
    expect(error.id).toBe('pdv-customer-document-error');
    expect(doc.getAttribute('aria-invalid')).toBe('true');
    expect(doc.getAttribute('aria-describedby')).toBe('pdv-customer-document-error');
    expect(onPick).not.toHaveBeenCalled();

    type(doc, '529.982.247-25');
    fireEvent.click(screen.getByRole('button', { name: 'Cadastrar e usar na venda' }));
    await waitFor(() => expect(onPick).toHaveBeenCalledWith({ id: 9, name: 'Maria Lopes', document: '529.982.247-25' }));
    expect(posts()).toEqual([
      { name: 'Maria Lopes', document: '529.982.247-24', phone: '(11) 91234-5678' },
      { name: 'Maria Lopes', document: '529.982.247-25', phone: '(11) 91234-5678' },
    ]);
  });

  it('a refusal about another field goes next to it; Esc goes back to the search with what was typed', async () => {
    const { box } = show();
    type(box, '111.444.777-35');
    await screen.findByText('Nenhum cliente encontrado para “111.444.777-35”.');
    fireEvent.click(screen.getByRole('button', { name: '+ Novo cliente' }));
    expect((screen.getByLabelText('CPF ou CNPJ') as HTMLInputElement).value).toBe('111.444.777-35'); // a document typed goes to the document
    expect((screen.getByLabelText('Nome *') as HTMLInputElement).value).toBe('');
    type(screen.getByLabelText('Nome *'), 'Zé');
    type(screen.getByLabelText('Telefone'), '12');
    fireEvent.click(screen.getByRole('button', { name: 'Cadastrar e usar na venda' }));
    expect((await screen.findByRole('alert')).id).toBe('pdv-customer-phone-error');
    fireEvent.keyDown(screen.getByLabelText('Telefone'), { key: 'Escape' });
    const back = (await screen.findByLabelText('Nome ou CPF/CNPJ do cliente')) as HTMLInputElement;
    expect(back.value).toBe('111.444.777-35');
  });

  it('shows the customer already named, and removes them', async () => {
    const { onRemove } = show({ id: 3, name: 'Ana Souza', document: '529.982.247-25' });
    expect(screen.getByText(/Cliente atual:/).textContent).toContain('Ana Souza · 529.982.247-25');
    fireEvent.click(screen.getByRole('button', { name: 'Remover da venda' }));
    expect(onRemove).toHaveBeenCalled();
  });

  it('puts what was typed in the name, or a CPF/CNPJ in the document', () => {
    expect(prefill('  Ana Souza ')).toEqual({ name: 'Ana Souza' });
    expect(prefill('52998224725')).toEqual({ document: '52998224725' });
    expect(prefill('12.ABC.345/01DE-35')).toEqual({ document: '12.ABC.345/01DE-35' });
    expect(prefill('')).toEqual({});
  });
});
