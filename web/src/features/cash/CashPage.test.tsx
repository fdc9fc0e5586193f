import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CashSession } from '../../api/types';
import { setSession } from '../../app/session';
import { info, json, keptSale } from '../../test/fixtures';
import { keepSale, markSent } from '../pdv/offline/outbox';
import CashPage, { differenceText } from './CashPage';

const open: CashSession = {
  id: 3, user_id: 7, user_username: 'caixa', terminal: 'Caixa 1', opening_float: 100, opened_at: '2026-11-29T11:00:00Z',
  closed_at: null, closed_by: null, closed_by_username: null, counted: null, expected: null, difference: null, status: 'aberto',
};
let current: CashSession | null;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: { id: 7, username: 'caixa', role: 'funcionario', active: true, created_at: '2026-11-29T10:00:00Z' } });
  current = open;
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/info') return json(200, info);
    if (url === '/api/cash-sessions/current') return current ? json(200, current) : json(404, { error: 'Nenhum caixa aberto para este operador' });
    if (url === '/api/cash-sessions/3/close' && init?.method === 'POST') {
      current = null;
      return json(200, { ...open, status: 'fechado', closed_at: '2026-11-29T20:00:00Z', counted: 58, expected: 58.49, difference: -0.49 });
    }
    if (url === '/api/cash-sessions' && init?.method === 'POST') return json(201, { ...open, id: 4 });
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function show() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <CashPage />
    </QueryClientProvider>,
  );
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ');

describe('the cash page', () => {
  it('closes with a blind count: nothing expected on the screen before, expected, counted and difference after', async () => {
    show();
    await screen.findByTestId('cash-current');
    expect(document.body.textContent).not.toMatch(/Esperado|esperado R\$/);
    fireEvent.input(screen.getByLabelText('Dinheiro contado (R$)'), { target: { value: '58' } });
    const button = screen.getByRole('button', { name: 'Fechar caixa' }) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false)); // once it knows no sale waits on this terminal
    fireEvent.click(button);
    await screen.findByTestId('cash-closed');
    const close = fetchMock.mock.calls.find(([u]) => u === '/api/cash-sessions/3/close')!;
    expect(JSON.parse(close[1].body)).toEqual({ counted: '58.00' });
    expect(plain(screen.getByTestId('cash-expected').textContent)).toBe('R$ 58,49');
    expect(plain(screen.getByTestId('cash-counted').textContent)).toBe('R$ 58,00');
    expect(plain(screen.getByTestId('cash-difference').textContent)).toBe('-R$ 0,49');
    await screen.findByRole('heading', { name: 'Abrir o caixa' }); // and it can be opened again
  });

  it('opens with the float typed in reais', async () => {
    current = null;
    show();
    fireEvent.input(await screen.findByLabelText('Fundo de troco (R$)'), { target: { value: '150,50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Abrir caixa' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u, i]) => u === '/api/cash-sessions' && i?.method === 'POST')).toBe(true));
    const call = fetchMock.mock.calls.find(([u, i]) => u === '/api/cash-sessions' && i?.method === 'POST')!;
    expect(JSON.parse(call[1].body)).toMatchObject({ opening_float: '150.50' });
  });

  it('will not close while sales made offline at this terminal wait to be sent, and closes once they are', async () => {
    await keepSale(keptSale('a', '2026-11-29T12:00:00Z'));
    await keepSale(keptSale('b', '2026-11-29T12:05:00Z'));
    show();
    await screen.findByTestId('cash-current');
    fireEvent.input(screen.getByLabelText('Dinheiro contado (R$)'), { target: { value: '58' } });
    const message = await screen.findByText(/^Há 2 vendas deste terminal aguardando envio/);
    expect(message.textContent).toMatch(/Feche o caixa depois que elas forem enviadas/);
    const button = screen.getByRole('button', { name: 'Fechar caixa' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.submit(button.closest('form')!);
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/cash-sessions/3/close')).toBe(false);

    await markSent('a');
    await screen.findByText(/^Há 1 venda deste terminal aguardando envio/);
    await markSent('b');
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    await screen.findByTestId('cash-closed');
  });

  it('says the difference in words', () => {
    expect(plain(differenceText(-0.49))).toBe('falta R$ 0,49');
    expect(plain(differenceText(2))).toBe('sobra R$ 2,00');
    expect(differenceText(0)).toBe('sem diferença');
  });
});
