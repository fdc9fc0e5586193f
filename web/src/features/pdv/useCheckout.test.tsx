import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { serverReachable, setServerReachable } from '../../api/connectivity';
import { rootKeys } from '../../api/keys';
import { setSession } from '../../app/session';
import { cashSession, info, json, sale, settings, user } from '../../test/fixtures';
import { settingsKeys, useSettings } from '../settings/api';
import type { Cart } from './cart';
import type { Notice } from './notice';
import { waitingSales } from './offline/outbox';
import { usePersistentCart } from './useCart';
import { useCheckout } from './useCheckout';

const item = { product_id: 1, name: 'Café', code: '789', unit_cents: 1499, stock: 3, quantity: 2 };
let saleAnswer: (body: Record<string, unknown>) => Promise<Response>;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  saleAnswer = async () =>
    json(201, sale(42, { total_amount: 29.98, payment_method: 'dinheiro', change: 20.02, payments: [{ method: 'dinheiro', amount: 29.98, tendered: 50 }] }));
  fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (url === '/api/info') return json(200, info);
    if (url === '/api/settings') return json(200, settings());
    if (url === '/api/cash-sessions/current') return json(200, cashSession(3));
    return saleAnswer(JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function checkout(items: Cart['items'] = [item], extra: Partial<Cart> = {}) {
  localStorage.setItem('sv.cart.7', JSON.stringify({ attemptKey: 'tentativa-1', items, ...extra } satisfies Cart));
  const notices: Notice[] = [];
  const onSold = vi.fn();
  const focusSearch = vi.fn();
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ComponentChildren }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
  const { result } = renderHook(
    () => {
      const { cart, cartRef, update } = usePersistentCart(7);
      const shown = useSettings();
      return { cart, ...useCheckout({ cartRef, update, notify: (n) => notices.push(n), focusSearch, onSold, settings: shown }) };
    },
    { wrapper: wrapper as never },
  );
  return { result, notices, onSold, focusSearch, qc };
}

const sales = () => fetchMock.mock.calls.filter(([url]) => url === '/api/sales');
const bodyOf = (n: number) => JSON.parse(sales()[n]![1].body as string) as Record<string, unknown>;
const keyOf = (n: number) => (sales()[n]![1].headers as Record<string, string>)['Idempotency-Key'];

describe('checkout', () => {
  it('does not open on an empty cart, nor with an item marked, nor with a discount above its item', () => {
    const empty = checkout([]);
    act(() => empty.result.current.start());
    expect(empty.result.current.open).toBe(false);
    expect(empty.notices.at(-1)).toEqual({ kind: 'info', text: 'O carrinho está vazio. Leia ou busque um produto.' });
    expect(empty.focusSearch).toHaveBeenCalled();

    const short = checkout([{ ...item, quantity: 4 }]);
    act(() => short.result.current.start());
    expect(short.result.current.open).toBe(false);
    expect(short.notices.at(-1)).toEqual({ kind: 'error', text: 'Ajuste os itens marcados antes de finalizar: Café.' });

    const tooMuch = checkout([{ ...item, discount: { kind: 'amount', cents: 5000 } }]);
    act(() => tooMuch.result.current.start());
    expect(tooMuch.result.current.open).toBe(false);
    expect(tooMuch.notices.at(-1)?.text).toMatch(/Desconto do item maior/);
  });

  it('sends the sale once, with the cart’s attempt key as the Idempotency-Key, however often it is confirmed', async () => {
    let answer!: () => void;
    const gate = new Promise<void>((r) => (answer = r));
    const original = saleAnswer;
    saleAnswer = async (b) => {
      await gate;
      return original(b);
    };
    const c = checkout();
    act(() => c.result.current.start());
    act(() => c.result.current.setMethod('pix'));
    let first!: Promise<unknown>;
    act(() => {
      first = c.result.current.confirm();
      void c.result.current.confirm(); // a double click, before any re-render
    });
    expect(c.result.current.submitting).toBe(true);
    expect(await c.result.current.confirm()).toBe('busy'); // and after it
    await act(async () => {
      answer();
      await first;
    });
    expect(sales()).toHaveLength(1);
    expect(keyOf(0)).toBe('tentativa-1');
    expect(bodyOf(0)).toEqual({ items: [{ product_id: 1, quantity: 2 }], payments: [{ method: 'pix', amount: '29.98' }], client_id: 'tentativa-1' });
    expect(c.result.current.submitting).toBe(false);
  });

  it('after the sale: the cart is empty, the dialog closed, the last sale kept, and the notice has the number, the method and the change', async () => {
    const c = checkout();
    await waitFor(() => expect(c.qc.getQueryData(rootKeys.info)).toEqual(info));
    act(() => c.result.current.start());
    act(() => c.result.current.setEntry('50'));
    await act(async () => void (await c.result.current.confirm()));
    expect(bodyOf(0).payments).toEqual([{ method: 'dinheiro', amount: '29.98', tendered: '50.00' }]);
    expect(c.result.current.cart.items).toEqual([]);
    expect(c.result.current.cart.attemptKey).not.toBe('tentativa-1');
    expect(c.result.current.open).toBe(false);
    expect(c.result.current.lastSale?.id).toBe(42);
    expect(c.notices.at(-1)).toEqual({ kind: 'success', text: 'Venda nº 42 registrada: R$\u00a029,98 (Dinheiro) · Troco R$\u00a020,02.' });
    expect(c.onSold).toHaveBeenCalledWith(expect.objectContaining({ items: [item] }), expect.objectContaining({ id: 42 }), false);
    expect(c.result.current.lastKept).toBe(false);
    expect(c.result.current.entry).toBe('');
  });

  it('sends the customer of the sale as customer_id, and forgets them with the cart after the sale', async () => {
    const ana = { id: 3, name: 'Ana Souza', document: '529.982.247-25' };
    const c = checkout([item], { customer: ana });
    await waitFor(() => expect(c.qc.getQueryData(rootKeys.info)).toEqual(info));
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(bodyOf(0).customer_id).toBe(3);
    expect(keyOf(0)).toBe('tentativa-1');
    expect(c.result.current.cart.customer).toBeUndefined();
    expect(JSON.parse(localStorage.getItem('sv.cart.7')!).customer).toBeUndefined();

    // Without a customer, none is sent.
    const d = checkout();
    await waitFor(() => expect(d.qc.getQueryData(rootKeys.info)).toEqual(info));
    act(() => d.result.current.start());
    await act(async () => void (await d.result.current.confirm()));
    expect('customer_id' in bodyOf(1)).toBe(false);
  });

  it('splits the payment: a partial line first, then the rest; both go in one request', async () => {
    const c = checkout();
    act(() => c.result.current.start());
    act(() => c.result.current.setMethod('debito'));
    act(() => c.result.current.setEntry('10'));
    let r: unknown;
    await act(async () => {
      r = await c.result.current.confirm();
    });
    expect(r).toBe('partial');
    expect(sales()).toHaveLength(0);
    expect(c.result.current.lines).toEqual([{ method: 'debito', amount: 1000 }]);
    act(() => c.result.current.setMethod('pix'));
    await act(async () => void (await c.result.current.confirm())); // empty: the 19,98 missing
    expect(bodyOf(0).payments).toEqual([
      { method: 'debito', amount: '10.00' },
      { method: 'pix', amount: '19.98' },
    ]);
  });

  it('refuses a card amount above what is missing, in the dialog, without sending', async () => {
    const c = checkout();
    act(() => c.result.current.start());
    act(() => c.result.current.setMethod('credito'));
    act(() => c.result.current.setEntry('40'));
    await act(async () => void (await c.result.current.confirm()));
    expect(c.result.current.error).toMatch(/passa do que falta/);
    expect(sales()).toHaveLength(0);
  });

  it('sends the discounts, and asks for an administrator when the server does; the approval resends with the same key', async () => {
    let approved = false;
    saleAnswer = async (b) => {
      const approval = b.discount_approval as { password: string } | undefined;
      if (!approval) return json(403, { error: 'Desconto acima do limite de 5% para funcionários: é preciso a aprovação de um administrador' });
      if (approval.password !== 'admin123') return json(403, { error: 'Aprovação recusada: usuário ou senha de administrador inválidos' });
      approved = true;
      return json(201, sale(43, { total_amount: 25.48, discount_approved_by: 'admin' }));
    };
    const c = checkout([{ ...item, discount: { kind: 'percent', bp: 1000 } }], { discount: { kind: 'amount', cents: 150 } });
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(bodyOf(0)).toEqual({
      items: [{ product_id: 1, quantity: 2, discount_percent: '10.00' }],
      discount_amount: '1.50',
      payments: [{ method: 'dinheiro', amount: '25.48' }],
      client_id: 'tentativa-1',
    });
    expect(c.result.current.approval).toEqual({ message: expect.stringMatching(/limite de 5%/), error: null });
    expect(c.result.current.open).toBe(true);

    await act(() => c.result.current.approve({ username: 'admin', password: 'errada' }));
    expect(c.result.current.approval?.error).toMatch(/Aprovação recusada/);
    await act(() => c.result.current.approve({ username: 'admin', password: 'admin123' }));
    expect(approved).toBe(true);
    expect(sales()).toHaveLength(3);
    expect(new Set([keyOf(0), keyOf(1), keyOf(2)])).toEqual(new Set(['tentativa-1']));
    expect(bodyOf(2)).toMatchObject({ discount_approval: { username: 'admin', password: 'admin123' }, payments: bodyOf(0).payments });
    expect(c.result.current.approval).toBeNull();
    expect(c.result.current.open).toBe(false);
    expect(c.result.current.lastSale?.discount_approved_by).toBe('admin');
  });

  it('a refusal about an item marks that item, goes back to the cart and keeps it', async () => {
    saleAnswer = async () => json(400, { error: 'Estoque insuficiente para o produto Café. Disponível: 1', product_id: 1, available: 1 });
    const c = checkout();
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(c.result.current.open).toBe(false);
    expect(c.result.current.cart.items).toEqual([{ ...item, stock: 1, error: 'Estoque insuficiente: disponível 1' }]);
    expect(c.notices.at(-1)).toEqual({
      kind: 'error',
      text: 'Venda não finalizada: Estoque insuficiente para o produto Café. Disponível: 1. Ajuste o item marcado e tente de novo.',
    });
    expect(c.onSold).not.toHaveBeenCalled();
  });

  it('any other refusal keeps the dialog open with the message; a 401 leaves everything as it is', async () => {
    saleAnswer = async () => json(409, { error: 'Abra o caixa antes de vender' });
    const c = checkout();
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(c.result.current.open).toBe(true);
    expect(c.result.current.error).toBe('Abra o caixa antes de vender');
    expect(c.notices.at(-1)).toEqual({ kind: 'error', text: 'Venda não finalizada: Abra o caixa antes de vender' });

    saleAnswer = async () => json(401, { error: 'Token expirado' });
    const before = c.notices.length;
    await act(async () => void (await c.result.current.confirm()));
    expect(c.notices).toHaveLength(before);
    expect(c.result.current.cart.items).toEqual([item]);
    expect(JSON.parse(localStorage.getItem('sv.cart.7')!).items).toEqual([item]);
  });
});

/** A checkout whose settings and cash session have loaded (they say what an offline sale may be). */
async function ready(items: Cart['items'] = [item], extra: Partial<Cart> = {}) {
  const c = checkout(items, extra);
  await waitFor(() => expect(c.qc.getQueryData(settingsKeys.of(undefined))).toBeTruthy());
  await waitFor(() => expect(c.qc.getQueryData([...rootKeys.cash, 'current'])).toBeTruthy());
  return c;
}

describe('checkout without the server', () => {

  it('no answer to the live attempt: the sale is kept on the terminal in its offline form, the cart cleared, and the PDV says so', async () => {
    saleAnswer = async () => {
      throw new TypeError('Failed to fetch');
    };
    const c = await ready();
    act(() => c.result.current.start());
    act(() => c.result.current.setEntry('50'));
    const before = Date.now();
    await act(async () => void (await c.result.current.confirm()));

    expect(sales()).toHaveLength(1); // the live attempt, with the client_id the kept sale has
    expect(bodyOf(0).client_id).toBe('tentativa-1');
    const [kept] = await waitingSales();
    expect(kept!.body).toEqual({
      items: [{ product_id: 1, quantity: 2, unit_price: '14.99' }],
      payments: [{ method: 'dinheiro', amount: '29.98', tendered: '50.00' }],
      client_id: 'tentativa-1',
      sold_at: kept!.made_at,
      user_id: 7,
      cash_session_id: 3,
    });
    expect(Date.parse(kept!.made_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(kept!.seller).toEqual({ id: 7, username: 'caixa' });

    expect(c.result.current.cart.items).toEqual([]);
    expect(c.result.current.open).toBe(false);
    expect(c.result.current.lastKept).toBe(true);
    expect(c.result.current.lastSale).toMatchObject({ id: 0, total_amount: 29.98, change: 20.02 });
    expect(c.notices.at(-1)).toEqual({
      kind: 'success',
      text: 'Venda guardada neste terminal; será enviada quando o servidor voltar. Total R$\u00a029,98 (Dinheiro) · Troco R$\u00a020,02.',
    });
    expect(c.onSold).toHaveBeenCalledWith(expect.objectContaining({ items: [item] }), expect.objectContaining({ id: 0 }), true);
    expect(serverReachable()).toBe(false);
  });

  it('a gateway’s 503 counts as no answer: kept too', async () => {
    saleAnswer = async () => json(503, { error: 'Service Unavailable' });
    const c = await ready();
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect((await waitingSales()).map((s) => s.client_id)).toEqual(['tentativa-1']);
    expect(c.result.current.cart.items).toEqual([]);
  });

  it('known to be offline: no live attempt, straight to the terminal', async () => {
    const c = await ready();
    setServerReachable(false);
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(sales()).toHaveLength(0);
    expect(await waitingSales()).toHaveLength(1);
    expect(c.result.current.lastKept).toBe(true);
  });

  it('the live attempt gives up after a timeout (its request carries the signal)', async () => {
    const c = await ready();
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(sales()[0]![1].signal).toBeInstanceOf(AbortSignal);
  });

  it('refuses an employee’s discount above the limit (nobody can check the administrator’s password), keeping the cart', async () => {
    const c = await ready([{ ...item, discount: { kind: 'percent', bp: 1000 } }]);
    setServerReachable(false);
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(c.result.current.error).toMatch(/^Sem conexão com o servidor: um desconto acima do limite de 5% precisa da senha de um administrador/);
    expect(c.notices.at(-1)?.kind).toBe('error');
    expect(await waitingSales()).toEqual([]);
    expect(c.result.current.open).toBe(true);
    expect(c.result.current.cart.items).toHaveLength(1);
  });

  it('a discount within the limit is kept, with the discount in the body', async () => {
    const c = await ready([{ ...item, discount: { kind: 'percent', bp: 400 } }]);
    setServerReachable(false);
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    const [kept] = await waitingSales();
    expect(kept!.body.items).toEqual([{ product_id: 1, quantity: 2, discount_percent: '4.00', unit_price: '14.99' }]);
  });

  it('a refusal from the server (4xx) stays as it was: shown, the cart kept, nothing on the terminal', async () => {
    saleAnswer = async () => json(409, { error: 'Abra o caixa antes de vender' });
    const c = await ready();
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    expect(c.result.current.error).toBe('Abra o caixa antes de vender');
    expect(await waitingSales()).toEqual([]);
    expect(c.result.current.cart.items).toEqual([item]);
  });

  it('an approval cannot be checked offline: said in the approval dialog, nothing kept', async () => {
    saleAnswer = async (b) => {
      if (!b.discount_approval) return json(403, { error: 'Desconto acima do limite de 5% para funcionários: é preciso a aprovação de um administrador' });
      throw new TypeError('Failed to fetch');
    };
    const c = await ready([{ ...item, discount: { kind: 'percent', bp: 1000 } }]);
    act(() => c.result.current.start());
    await act(async () => void (await c.result.current.confirm()));
    await act(() => c.result.current.approve({ username: 'admin', password: 'admin123' }));
    expect(c.result.current.approval?.error).toMatch(/Não foi possível falar com o servidor/);
    expect(await waitingSales()).toEqual([]);
  });
});
