import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rootKeys } from '../../api/keys';
import { setSession } from '../../app/session';
import { info, json } from '../../test/fixtures';
import type { Cart } from './cart';
import type { Notice } from './notice';
import { usePersistentCart } from './useCart';
import { useCheckout } from './useCheckout';

const item = { product_id: 1, name: 'Café', code: '789', unit_cents: 1499, stock: 3, quantity: 2 };
let saleAnswer: () => Promise<Response>;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: { id: 7, username: 'caixa', role: 'funcionario', active: true, created_at: '2026-11-01T10:00:00Z' } });
  saleAnswer = async () => json(201, { id: 42, user_id: 7, user_username: 'caixa', total_amount: 29.98, timestamp: '2026-11-29T17:05:00Z', payment_method: 'dinheiro', items: [] });
  fetchMock = vi.fn(async (url: string) => (url === '/api/info' ? json(200, info) : saleAnswer()));
  vi.stubGlobal('fetch', fetchMock);
});

function checkout(items = [item]) {
  localStorage.setItem('sv.cart.7', JSON.stringify({ attemptKey: 'tentativa-1', items } satisfies Cart));
  const notices: Notice[] = [];
  const onSold = vi.fn();
  const focusSearch = vi.fn();
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ComponentChildren }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
  const { result } = renderHook(
    () => {
      const { cart, cartRef, update } = usePersistentCart(7);
      return { cart, ...useCheckout({ cartRef, update, notify: (n) => notices.push(n), focusSearch, onSold }) };
    },
    { wrapper: wrapper as never },
  );
  return { result, notices, onSold, focusSearch, qc };
}

const sales = () => fetchMock.mock.calls.filter(([url]) => url === '/api/sales');

describe('checkout', () => {
  it('does not open on an empty cart, nor with an item marked', () => {
    const empty = checkout([]);
    act(() => empty.result.current.start());
    expect(empty.result.current.open).toBe(false);
    expect(empty.notices.at(-1)).toEqual({ kind: 'info', text: 'O carrinho está vazio. Leia ou busque um produto.' });
    expect(empty.focusSearch).toHaveBeenCalled();

    const short = checkout([{ ...item, quantity: 4 }]);
    act(() => short.result.current.start());
    expect(short.result.current.open).toBe(false);
    expect(short.notices.at(-1)).toEqual({ kind: 'error', text: 'Ajuste os itens marcados antes de finalizar: Café.' });
  });

  it('sends the sale once, with the cart’s attempt key as the Idempotency-Key, however often it is confirmed', async () => {
    let answer!: () => void;
    const gate = new Promise<void>((r) => (answer = r));
    const original = saleAnswer;
    saleAnswer = async () => {
      await gate;
      return original();
    };
    const c = checkout();
    act(() => c.result.current.start());
    act(() => c.result.current.setPayment('pix'));
    let first!: Promise<void>;
    act(() => {
      first = c.result.current.confirm();
      void c.result.current.confirm(); // a double click, before any re-render
    });
    expect(c.result.current.submitting).toBe(true);
    void c.result.current.confirm(); // and after it
    await act(async () => {
      answer();
      await first;
    });
    expect(sales()).toHaveLength(1);
    const [, init] = sales()[0]!;
    expect(init.headers['Idempotency-Key']).toBe('tentativa-1');
    expect(JSON.parse(init.body)).toEqual({ items: [{ product_id: 1, quantity: 2 }], payment_method: 'pix' });
    expect(c.result.current.submitting).toBe(false);
  });

  it('after the sale: the cart is empty, the dialog closed, and the notice has the number, the server’s name of the method and the change', async () => {
    const c = checkout();
    await waitFor(() => expect(c.qc.getQueryData(rootKeys.info)).toEqual(info));
    act(() => c.result.current.start());
    act(() => c.result.current.setReceived('50'));
    await act(() => c.result.current.confirm());
    expect(c.result.current.cart.items).toEqual([]);
    expect(c.result.current.cart.attemptKey).not.toBe('tentativa-1');
    expect(c.result.current.open).toBe(false);
    expect(c.notices.at(-1)).toEqual({ kind: 'success', text: 'Venda nº 42 registrada: R$\u00a029,98 (Dinheiro) · Troco R$\u00a020,02.' });
    expect(c.onSold).toHaveBeenCalledWith(expect.objectContaining({ items: [item] }));
    expect(c.result.current.received).toBe('');
  });

  it('a refusal about an item marks that item, goes back to the cart and keeps it', async () => {
    saleAnswer = async () => json(400, { error: 'Estoque insuficiente para o produto Café. Disponível: 1', product_id: 1, available: 1 });
    const c = checkout();
    act(() => c.result.current.start());
    await act(() => c.result.current.confirm());
    expect(c.result.current.open).toBe(false);
    expect(c.result.current.cart.items).toEqual([{ ...item, stock: 1, error: 'Estoque insuficiente: disponível 1' }]);
    expect(c.notices.at(-1)).toEqual({
      kind: 'error',
      text: 'Venda não finalizada: Estoque insuficiente para o produto Café. Disponível: 1. Ajuste o item marcado e tente de novo.',
    });
    expect(c.onSold).not.toHaveBeenCalled();
  });

  it('any other refusal keeps the dialog open with the message; a 401 leaves everything as it is', async () => {
    saleAnswer = async () => json(400, { error: 'Forma de pagamento inválida' });
    const c = checkout();
    act(() => c.result.current.start());
    await act(() => c.result.current.confirm());
    expect(c.result.current.open).toBe(true);
    expect(c.notices.at(-1)).toEqual({ kind: 'error', text: 'Venda não finalizada: Forma de pagamento inválida' });

    saleAnswer = async () => json(401, { error: 'Token expirado' });
    const before = c.notices.length;
    await act(() => c.result.current.confirm());
    expect(c.notices).toHaveLength(before);
    expect(c.result.current.cart.items).toEqual([item]);
    expect(JSON.parse(localStorage.getItem('sv.cart.7')!).items).toEqual([item]);
  });
});
