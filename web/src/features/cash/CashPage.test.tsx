import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CashSession, Store } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, cashSession, info, json, keptSale, store, user } from '../../test/fixtures';
import { keepSale, markSent } from '../pdv/offline/outbox';
import CashPage, { differenceText } from './CashPage';

const open = cashSession(3);
let current: CashSession | null;
let stores: Store[];
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  current = open;
  stores = [store(1)];
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/info') return json(200, info);
    if (url === '/api/stores') return json(200, stores);
    if (url.startsWith('/api/cash-sessions?'))
      return json(200, { cash_sessions: [cashSession(1), cashSession(2, { store_id: 2, status: 'fechado' })], total: 2, pages: 1, current_page: 1 });
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
const opened = () => {
  const call = fetchMock.mock.calls.find(([u, i]) => u === '/api/cash-sessions' && i?.method === 'POST');
  return call && (JSON.parse(call[1].body) as Record<string, unknown>);
};

function choose(el: HTMLElement, value: string) {
  (el as HTMLSelectElement).value = value;
  fireEvent(el, new Event('change', { bubbles: true }));
}

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

  it('one store: the cash opens without a store, and nothing about stores is shown', async () => {
    current = null;
    show();
    fireEvent.input(await screen.findByLabelText('Fundo de troco (R$)'), { target: { value: '100' } });
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/stores')).toBe(true));
    expect(screen.queryByLabelText('Loja')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Abrir caixa' }));
    await waitFor(() => expect(opened()).toBeDefined());
    expect(opened()).not.toHaveProperty('store_id');
  });

  it('two stores: the cash opens in the store this computer sells in (the PDV’s choice), and says it', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    localStorage.setItem('sv.loja', '2');
    current = null;
    show();
    const where = (await screen.findByLabelText('Loja')) as HTMLSelectElement;
    expect(where.value).toBe('2');
    choose(where, '1');
    expect(localStorage.getItem('sv.loja')).toBe('1');
    fireEvent.click(screen.getByRole('button', { name: 'Abrir caixa' }));
    await waitFor(() => expect(opened()).toMatchObject({ store_id: 1 }));
  });

  it('the open cash names its store when there are several', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    current = cashSession(3, { store_id: 2 });
    show();
    await waitFor(() => expect(screen.getByTestId('cash-current').textContent).toContain('LojaLoja Bairro'));
  });

  it('an administrator’s list of sessions: with several stores a "Loja" column and filter (store_id); with one, neither', async () => {
    setSession({ token: 't', user: admin });
    show();
    await screen.findByTestId('cash-sessions');
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/stores')).toBe(true));
    expect(screen.queryByRole('columnheader', { name: 'Loja' })).toBeNull();
    cleanup();

    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    show();
    await screen.findByRole('columnheader', { name: 'Loja' });
    expect(within(screen.getByTestId('cash-sessions')).getByText('Loja Bairro')).toBeTruthy();
    choose(screen.getByLabelText('Loja', { selector: '#cash-store-filter' }), '2');
    await waitFor(() => expect(fetchMock.mock.calls.map(([u]) => u)).toContain('/api/cash-sessions?store_id=2&page=1'));
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
