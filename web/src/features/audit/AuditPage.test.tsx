import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditCheck, AuditEntry } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, info, json, user } from '../../test/fixtures';
import AuditPage from './AuditPage';

const ACTIONS = ['login.sucesso', 'login.falha', 'produto.criado', 'produto.alterado'];

const entry = (id: number, fields: Partial<AuditEntry>): AuditEntry => ({
  id,
  created_at: '2026-11-29T17:05:00Z',
  user_id: 1,
  username: 'admin',
  action: 'login.sucesso',
  entity: 'usuario',
  entity_id: 1,
  client: '127.0.0.1',
  store_id: null,
  details: {},
  prev_hash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  ...fields,
});

const ENTRIES = [
  entry(3, { action: 'produto.alterado', entity: 'produto', entity_id: 7, client: null, details: { preco: { antes: '10.00', depois: '12.50' } } }),
  entry(2, { action: 'login.falha', user_id: null, username: 'intruso', entity: null, entity_id: null, details: { motivo: 'usuário desconhecido' } }),
  entry(1, {}),
];

let check: AuditCheck;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  check = { intact: true, entries: 3, head_id: 3, head_hash: 'f2fe63705165aa'.padEnd(64, '0'), problem: null };
  fetchMock = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/users') return json(200, [admin, user(2, { username: 'maria' })]);
    if (u.pathname === '/api/audit/check') return json(200, check);
    if (u.pathname === '/api/audit') {
      const action = u.searchParams.get('action');
      const found = ENTRIES.filter((e) => !action || e.action === action || e.action.startsWith(`${action}.`));
      return json(200, { entries: found, total: found.length, pages: 1, current_page: 1, actions: ACTIONS });
    }
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function show() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <AuditPage />
    </QueryClientProvider>,
  );
}

const lastAuditQuery = () => {
  const url = fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/audit?') || u === '/api/audit').at(-1)!;
  return Object.fromEntries(new URL(url, 'http://x').searchParams);
};
/** A real `change` event for a select (Testing Library's fireEvent.change becomes `input` under
 * preact/compat); an input's onChange listens to `input` there, as browsers send it while typing. */
function change(el: HTMLElement, value: string) {
  if (el instanceof HTMLInputElement) return void fireEvent.input(el, { target: { value } });
  (el as HTMLSelectElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}
const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

describe('the Auditoria page', () => {
  it('lists the entries readably: when in the business zone, who, the action’s name, what, from where, the details', async () => {
    show();
    const table = await screen.findByTestId('audit-table');
    const rows = within(table).getAllByRole('row').slice(1);
    const cells = rows.map((r) => within(r).getAllByRole('cell').map((c) => plain(c.textContent)));
    expect(cells[0]).toEqual(['29/11/2026 14:05', 'admin', 'Produto alterado produto.alterado', 'Produto nº 7', '—', 'preco: 10.00 → 12.50']);
    expect(cells[1]).toEqual(['29/11/2026 14:05', 'intruso não cadastrado', 'Login recusado login.falha', '—', '127.0.0.1', 'motivo: usuário desconhecido']);
    expect(cells[2]).toEqual(['29/11/2026 14:05', 'admin', 'Login realizado login.sucesso', 'Usuário nº 1', '127.0.0.1', '—']);
    expect(within(rows[0]!).getByRole('link', { name: 'Produto nº 7' }).getAttribute('href')).toBe('/produtos/7/movimentos');
    expect(plain(screen.getByTestId('audit-total').textContent)).toBe('3 registro(s)');
  });

  it('filters by who, by area or action (named in Portuguese) and by day, as query parameters of the API', async () => {
    show();
    await screen.findByTestId('audit-table');
    const what = screen.getByLabelText('O quê') as HTMLSelectElement;
    await waitFor(() => expect([...what.options].map((o) => o.textContent)).toEqual(['Todas as ações', 'Login: todas', 'Login realizado', 'Login recusado', 'Produto: todas', 'Produto criado', 'Produto alterado']));
    expect([...what.querySelectorAll('optgroup')].map((g) => g.label)).toEqual(['Login', 'Produto']);

    change(what, 'produto');
    await waitFor(() => expect(lastAuditQuery()).toEqual({ page: '1', per_page: '50', action: 'produto' }));
    await waitFor(() => expect(plain(screen.getByTestId('audit-total').textContent)).toBe('1 registro(s)'));

    const who = screen.getByLabelText('Quem') as HTMLSelectElement;
    await waitFor(() => expect(who.options).toHaveLength(3));
    change(who, '2');
    change(screen.getByLabelText('De'), '2026-11-28');
    change(screen.getByLabelText('Até'), '2026-11-29');
    await waitFor(() => expect(lastAuditQuery()).toEqual({ page: '1', per_page: '50', action: 'produto', user_id: '2', start_date: '2026-11-28', end_date: '2026-11-29' }));

    // A period backwards is said, and not asked.
    const calls = fetchMock.mock.calls.length;
    change(screen.getByLabelText('De'), '2026-11-30');
    expect((await screen.findByRole('alert')).textContent).toBe('A data inicial deve ser anterior à data final.');
    expect(fetchMock.mock.calls.length).toBe(calls);

    fireEvent.click(screen.getByRole('button', { name: 'Limpar' }));
    await waitFor(() => expect(lastAuditQuery()).toEqual({ page: '1', per_page: '50' }));
  });

  it('"Verificar integridade" says the chain is intact with the last entry, or the problem in red', async () => {
    show();
    await screen.findByTestId('audit-table');
    fireEvent.click(screen.getByRole('button', { name: 'Verificar integridade' }));
    const ok = await screen.findByTestId('audit-check');
    expect(within(ok).getByRole('status').textContent).toBe('Registro íntegro: 3 entradas; última #3, hash f2fe63705165…');

    check = { intact: false, entries: 1, head_id: 3, head_hash: null, problem: 'A entrada #2 não confere com o hash gravado' };
    fireEvent.click(screen.getByRole('button', { name: 'Verificar integridade' }));
    await waitFor(() => expect(within(screen.getByTestId('audit-check')).getByRole('alert').textContent).toBe('Registro com problema: A entrada #2 não confere com o hash gravado'));
    expect(within(screen.getByTestId('audit-check')).getByRole('alert').className).toContain('text-red-900');
  });
});
