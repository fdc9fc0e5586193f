import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CashSession, Product, Store } from '../../api/types';
import { saveCopy } from '../../api/offlineCopy';
import { setSession } from '../../app/session';
import { cashSession, customer, info, keptSale, sale, settings, store, user } from '../../test/fixtures';
import { keepSale, markForbidden, markRefused, refusedSales, waitingSales } from './offline/outbox';
import PdvPage from './PdvPage';

const caixa1 = user(9, { username: 'caixa1' });

const cafe: Product = {
  id: 1, name: 'Café Torrado 500g', description: null, price: 14.99, catalog_price: 14.99, stock: 3, category_id: 1, category_name: 'Mercearia',
  created_at: '2026-11-01T10:00:00Z', code: '7891000100103', min_stock: 5, low_stock: true, updated_at: '2026-11-01T10:00:00Z', unit: 'UN', barcode: null, barcodes: [], cost_price: null, average_cost: null, active: true, photo_url: null, thumbnail_url: null,
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let fetchMock: ReturnType<typeof vi.fn>;
let saleResponse: () => Promise<Response>;
let networkDown = false;
let stores: Store[];
let cash: CashSession | null;

beforeEach(() => {
  setSession({ token: 'tok', user: caixa1 });
  saleResponse = async () =>
    json(201, sale(42, { user_id: 9, user_username: 'caixa1', total_amount: 14.99, payment_method: 'pix', payments: [{ method: 'pix', amount: 14.99, tendered: null }] }));
  networkDown = false;
  stores = [store(1)];
  cash = null;
  fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    const u = new URL(url, 'http://x');
    if (networkDown) return new Promise<Response>(() => {}); // never answers
    if (u.pathname === '/api/info') return json(200, info);
    if (u.pathname === '/api/cash-sessions/current') return cash ? json(200, cash) : json(404, { error: 'Nenhum caixa aberto para este operador' });
    if (u.pathname === '/api/stores') return json(200, stores);
    if (u.pathname === '/api/products/lookup' && u.searchParams.get('code') === cafe.code) return json(200, { product: cafe, source: 'codigo', quantity: null, amount: null });
    if (u.pathname === '/api/products/lookup') return json(404, { error: `Nenhum produto com o código ${u.searchParams.get('code')}` });
    if (u.pathname === '/api/products' && u.searchParams.get('code') === cafe.code) return json(200, { products: [cafe], total: 1, pages: 1, current_page: 1 });
    if (u.pathname === '/api/products') return json(200, { products: [], total: 0, pages: 0, current_page: 1 });
    if (u.pathname === '/api/sales' && init.method === 'POST') return saleResponse();
    if (u.pathname === '/api/customers' && u.searchParams.get('search')?.toLowerCase().startsWith('ana'))
      return json(200, { customers: [customer(3, { name: 'Ana Souza', document: '529.982.247-25', document_type: 'CPF' })], total: 1, pages: 1, current_page: 1 });
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function renderPdv() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <PdvPage />
    </QueryClientProvider>,
  );
}

async function scan(code: string) {
  const search = screen.getByLabelText(/Código de barras ou nome/);
  fireEvent.input(search, { target: { value: code } });
  fireEvent.keyDown(search, { key: 'Enter' });
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ');
const qty = () => (screen.getByLabelText('Quantidade de Café Torrado 500g') as HTMLInputElement).value;
const saleCalls = () => fetchMock.mock.calls.filter(([u, i]) => String(u).startsWith('/api/sales') && i.method === 'POST');

describe('PDV', () => {
  it('starts with the focus in the search box', () => {
    renderPdv();
    expect(document.activeElement).toBe(screen.getByLabelText(/Código de barras ou nome/));
  });

  it('a scanned code is added at once; scanning again adds one more from the local index', async () => {
    renderPdv();
    await scan(cafe.code!);
    await waitFor(() => expect(screen.getByTestId('cart')).toBeTruthy());
    expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 14,99');
    networkDown = true; // the second scan must not wait for the server
    await scan(cafe.code!);
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 29,98'));
    expect((screen.getByLabelText('Quantidade de Café Torrado 500g') as HTMLInputElement).value).toBe('2');
    // and the cart is saved for this user
    expect(JSON.parse(localStorage.getItem('sv.cart.9')!).items[0].quantity).toBe(2);
  });

  it('with the search box empty, + and - step the last item and Delete removes it', async () => {
    renderPdv();
    await scan(cafe.code!);
    await waitFor(() => screen.getByTestId('cart'));
    const search = screen.getByLabelText(/Código de barras ou nome/);
    fireEvent.keyDown(search, { key: '+' });
    await waitFor(() => expect(qty()).toBe('2'));
    fireEvent.keyDown(search, { key: '+' });
    fireEvent.keyDown(search, { key: '+' }); // stock is 3: stays at 3
    await waitFor(() => expect(qty()).toBe('3'));
    expect(screen.getByTestId('item-error').textContent).toMatch(/disponível 3/);
    fireEvent.keyDown(search, { key: '-' });
    await waitFor(() => expect(qty()).toBe('2'));
    fireEvent.keyDown(search, { key: 'Delete' });
    await waitFor(() => expect(screen.queryByTestId('cart')).toBeNull());
  });

  it('does not go beyond the stock', async () => {
    renderPdv();
    await scan(`4*${cafe.code}`);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/disponível 3/));
    expect(screen.queryByTestId('cart')).toBeNull();
  });

  it('F2 + Enter sells once with an Idempotency-Key, shows the number and clears the cart', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const original = saleResponse;
    saleResponse = async () => {
      await gate;
      return original();
    };
    renderPdv();
    await scan(cafe.code!);
    await waitFor(() => screen.getByTestId('cart'));
    fireEvent.keyDown(window, { key: 'F2' });
    const confirm = await screen.findByRole('button', { name: /Confirmar venda/ });
    fireEvent.keyDown(window, { key: '4' });
    fireEvent.click(screen.getByLabelText(/Pix/));
    fireEvent.click(confirm);
    fireEvent.click(confirm); // a double click
    fireEvent.keyDown(window, { key: 'F2' });
    await act(async () => release());
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Venda nº 42 registrada/));
    expect(saleCalls()).toHaveLength(1);
    const [, init] = saleCalls()[0]!;
    expect(JSON.parse(init.body)).toEqual({ items: [{ product_id: 1, quantity: 1 }], payments: [{ method: 'pix', amount: '14.99' }], client_id: init.headers['Idempotency-Key'] });
    // the last sale stays on the screen, with its receipt
    expect(screen.getByTestId('last-sale').textContent).toContain('Venda nº 42');
    expect(screen.getByRole('link', { name: 'Recibo' }).getAttribute('href')).toBe('/vendas/42/recibo');
    expect(init.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.queryByTestId('cart')).toBeNull();
  });

  it('F3 names the customer without touching the cart; the sale carries them and forgets them after', async () => {
    renderPdv();
    await scan(cafe.code!);
    await waitFor(() => screen.getByTestId('cart'));
    expect(screen.getByTestId('sale-customer').textContent).toContain('Venda sem cliente identificado');
    // F2 and F4 do nothing while the picker is open; Esc in it closes only it.
    fireEvent.keyDown(window, { key: 'F3' });
    const box = await screen.findByLabelText('Nome ou CPF/CNPJ do cliente');
    fireEvent.keyDown(box, { key: 'F2' });
    expect(screen.queryByRole('button', { name: /Confirmar venda/ })).toBeNull();
    fireEvent.input(box, { target: { value: 'ana' } });
    await screen.findByRole('option', { name: /Ana Souza/ });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(screen.queryByLabelText('Nome ou CPF/CNPJ do cliente')).toBeNull());
    expect(plain(screen.getByTestId('sale-customer').textContent)).toContain('Cliente: Ana Souza · CPF: 529.982.247-25');
    expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 14,99');
    expect(JSON.parse(localStorage.getItem('sv.cart.9')!).customer).toEqual({ id: 3, name: 'Ana Souza', document: '529.982.247-25' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/Código de barras ou nome/)));

    fireEvent.keyDown(window, { key: 'F2' });
    expect(plain((await screen.findByTestId('checkout-customer')).textContent)).toContain('Cliente: Ana Souza');
    const confirm = await screen.findByRole('button', { name: /Confirmar venda/ });
    fireEvent.click(screen.getByLabelText(/Pix/));
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Venda nº 42 registrada/));
    expect(JSON.parse(saleCalls()[0]![1].body).customer_id).toBe(3);
    expect(screen.getByTestId('sale-customer').textContent).toContain('Venda sem cliente identificado');
  });

  it('shows a stock error from the server next to the item and keeps the cart', async () => {
    saleResponse = async () =>
      json(400, { error: 'Estoque insuficiente para o produto Café Torrado 500g. Disponível: 0', product_id: 1, available: 0 });
    renderPdv();
    await scan(cafe.code!);
    await waitFor(() => screen.getByTestId('cart'));
    fireEvent.keyDown(window, { key: 'F2' });
    fireEvent.click(await screen.findByRole('button', { name: /Confirmar venda/ }));
    await waitFor(() => expect(screen.getByTestId('item-error').textContent).toMatch(/Sem estoque/));
    expect(screen.getByTestId('cart')).toBeTruthy();
    expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 14,99');
  });

  it('loads the catalog in the background and answers a scan from it', async () => {
    const agua = { ...cafe, id: 2, name: 'Água 500ml', code: '7894900011517', price: 2.5, stock: 10 };
    fetchMock.mockImplementation(async (url: string) => {
      const u = new URL(url, 'http://x');
      if (u.pathname === '/api/products/catalog') return json(200, { version: '1', products: [cafe, agua] });
      if (u.pathname === '/api/stores') return json(200, stores);
      return new Promise<Response>(() => {}); // anything else: the server never answers
    });
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toBe('Catálogo local: 2 produtos'));
    await scan('7894900011517');
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 2,50'));
  });

  it('with the catalog loaded, lists a typed name at once without asking the server, and adds what only the server knows', async () => {
    const pao = { ...cafe, id: 2, name: 'Pão de queijo', code: 'PQ', price: 1.5, stock: 40 };
    let serverSearches = 0;
    const novo = { ...cafe, id: 3, name: 'Queijo novo', code: 'QN', price: 30, stock: 2 };
    fetchMock.mockImplementation(async (url: string) => {
      const u = new URL(url, 'http://x');
      if (u.pathname === '/api/products/catalog') return json(200, { version: '1', products: [cafe, pao] });
      if (u.pathname === '/api/stores') return json(200, stores);
      if (u.pathname === '/api/products' && u.searchParams.get('search')) {
        serverSearches += 1;
        return json(200, { products: [pao, novo], total: 2, pages: 1, current_page: 1 });
      }
      return new Promise<Response>(() => {});
    });
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toBe('Catálogo local: 2 produtos'));
    fireEvent.input(screen.getByLabelText(/Código de barras ou nome/), { target: { value: 'pao' } });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('Pão de queijo')]);
    expect(serverSearches).toBe(0);
    fireEvent.input(screen.getByLabelText(/Código de barras ou nome/), { target: { value: 'queijo' } });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('Pão de queijo'), expect.stringContaining('Queijo novo')]);
    expect(serverSearches).toBeGreaterThan(0);
  });

  it('restores the cart saved before the session expired', () => {
    localStorage.setItem(
      'sv.cart.9',
      JSON.stringify({ attemptKey: 'k', items: [{ product_id: 1, name: 'Café Torrado 500g', code: '789', unit_cents: 1499, stock: 3, quantity: 2 }] }),
    );
    renderPdv();
    expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 29,98');
  });

  it('F4 goes to the last item’s discount and F8 to the sale’s; Enter applies it and goes back to the search', async () => {
    renderPdv();
    await scan(cafe.code!);
    await waitFor(() => screen.getByTestId('cart'));
    fireEvent.keyDown(window, { key: 'F4' });
    const item = screen.getByLabelText('Desconto de Café Torrado 500g') as HTMLInputElement;
    expect(document.activeElement).toBe(item);
    fireEvent.input(item, { target: { value: '10%' } });
    await waitFor(() => expect(item.value).toBe('10%')); // rendered, as before a real key press
    fireEvent.keyDown(item, { key: 'Enter' });
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 13,49'));
    expect(document.activeElement).toBe(screen.getByLabelText(/Código de barras ou nome/));
    fireEvent.keyDown(window, { key: 'F8' });
    const saleField = screen.getByLabelText('Desconto na venda') as HTMLInputElement;
    expect(document.activeElement).toBe(saleField);
    fireEvent.input(saleField, { target: { value: '0,49' } });
    await waitFor(() => expect(saleField.value).toBe('0,49'));
    fireEvent.keyDown(saleField, { key: 'Enter' });
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 13,00'));
    expect(plain(screen.getByTestId('cart-discounts').textContent)).toContain('R$ 1,99');
    fireEvent.input(saleField, { target: { value: 'abc' } });
    await waitFor(() => expect(saleField.value).toBe('abc'));
    fireEvent.keyDown(saleField, { key: 'Enter' });
    await screen.findByText(/Desconto inválido/);
  });
});

async function sellByPix() {
  await scan(cafe.code!);
  await waitFor(() => screen.getByTestId('cart'));
  fireEvent.keyDown(window, { key: 'F2' });
  const confirm = await screen.findByRole('button', { name: /Confirmar venda/ });
  fireEvent.click(screen.getByLabelText(/Pix/));
  fireEvent.click(confirm);
}

describe('PDV and the stores', () => {
  it('one store: no store picker, and the sale goes without store_id', async () => {
    renderPdv();
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/stores')).toBe(true));
    await sellByPix();
    await waitFor(() => expect(saleCalls()).toHaveLength(1));
    expect(screen.queryByLabelText('Loja:')).toBeNull();
    expect(document.body.textContent).not.toMatch(/Loja/);
    expect(JSON.parse(saleCalls()[0]![1].body)).not.toHaveProperty('store_id');
  });

  it('two active stores: "Loja:" picks where it sells (remembered on this device) and the sale says it', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' }), store(3, { name: 'Antiga', active: false })];
    renderPdv();
    const picker = (await screen.findByLabelText('Loja:')) as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual(['Loja', 'Loja Bairro']); // not the closed one
    expect(picker.value).toBe('1');
    picker.value = '2';
    fireEvent(picker, new Event('change', { bubbles: true }));
    expect(localStorage.getItem('sv.loja')).toBe('2');
    await sellByPix();
    await waitFor(() => expect(saleCalls()).toHaveLength(1));
    expect(JSON.parse(saleCalls()[0]![1].body)).toMatchObject({ store_id: 2 });
  });

  it('shows the chosen store’s stock and prices: its catalog, and the cart priced again when the store changes', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    const catalogs: Record<string, Product[]> = { '1': [{ ...cafe, stock: 3 }], '2': [{ ...cafe, price: 13.5, stock: 7 }] };
    const server = fetchMock.getMockImplementation() as (url: string, init: RequestInit) => Promise<Response>;
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      const u = new URL(url, 'http://x');
      if (u.pathname === '/api/products/catalog') return json(200, { version: '1', products: catalogs[u.searchParams.get('store_id') ?? ''] ?? [] });
      return server(url, init);
    });
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toBe('Catálogo local: 1 produtos'));
    await scan(cafe.code!);
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 14,99'));
    const picker = screen.getByLabelText('Loja:') as HTMLSelectElement;
    picker.value = '2';
    fireEvent(picker, new Event('change', { bubbles: true }));
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 13,50'));
    const asked = fetchMock.mock.calls.map(([url]) => new URL(url as string, 'http://x')).filter((u) => u.pathname === '/api/products/catalog');
    expect(asked.map((u) => u.searchParams.get('store_id'))).toEqual(['1', '2']); // never the chain's totals
  });

  it('with the cash open, the store is the cash session’s and cannot be changed', async () => {
    stores = [store(1), store(2, { name: 'Loja Bairro' })];
    cash = cashSession(5, { user_id: 9, store_id: 2 });
    localStorage.setItem('sv.loja', '1');
    renderPdv();
    const picker = (await screen.findByLabelText('Loja:')) as HTMLSelectElement;
    await waitFor(() => expect(picker.value).toBe('2'));
    expect(picker.disabled).toBe(true);
    expect(screen.getByText('(caixa aberto nesta loja)')).toBeTruthy();
    await sellByPix();
    await waitFor(() => expect(saleCalls()).toHaveLength(1));
    expect(JSON.parse(saleCalls()[0]![1].body).store_id).toBe(2);
  });
});

describe('PDV without the server', () => {
  beforeEach(async () => {
    // What an earlier visit left on the terminal; now the server does not answer at all.
    await saveCopy('catalogo', { version: '1', products: [cafe] }, '"1"');
    await saveCopy('configuracoes', settings());
    await saveCopy('info', info);
    fetchMock.mockImplementation(async () => {
      throw new TypeError('Failed to fetch');
    });
  });

  it('sells from the catalog kept on the terminal, keeps the sale, and says it is offline with the sales waiting', async () => {
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toMatch(/^Catálogo local: 1 produtos \(guardado neste terminal/));
    await scan(cafe.code!);
    await waitFor(() => expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 14,99'));
    await screen.findByTestId('offline-status'); // the lookup after the scan found no server
    fireEvent.keyDown(window, { key: 'F2' });
    fireEvent.click(await screen.findByRole('button', { name: /Confirmar venda/ }));

    await waitFor(() => expect(screen.getByTestId('last-sale').textContent).toContain('Venda guardada neste terminal'));
    expect(screen.getAllByRole('status').map((n) => n.textContent).join(' ')).toMatch(/Venda guardada neste terminal; será enviada quando o servidor voltar/);
    expect(screen.queryByTestId('cart')).toBeNull();
    expect(saleCalls()).toHaveLength(0); // known to be offline: no live attempt
    await waitFor(() => expect(screen.getByTestId('outbox-count').textContent).toBe('1 venda aguardando envio'));
    expect(screen.getByTestId('outbox-list').textContent).toContain('caixa1');
    expect(plain(screen.getByTestId('outbox-list').textContent)).toContain('R$ 14,99');
    const [kept] = await waitingSales();
    expect(kept!.body).toMatchObject({ user_id: 9, items: [{ product_id: 1, quantity: 1, unit_price: '14.99' }] });

    // Its receipt, without a number until the server gives one.
    fireEvent.click(screen.getByRole('button', { name: 'Recibo' }));
    expect((await screen.findByTestId('kept-receipt')).textContent).toContain('Venda guardada no terminal');
  });

  it('with several stores (as last seen), the kept sale keeps its store, is sent with it and prints it', async () => {
    await saveCopy('lojas.9', [store(1), store(2, { name: 'Loja Bairro' })]);
    await saveCopy('catalogo.loja2', { version: '1', products: [{ ...cafe, price: 13.5 }] }, '"1-2"'); // its store's catalog
    localStorage.setItem('sv.loja', '2');
    renderPdv();
    await waitFor(() => expect((screen.getByLabelText('Loja:') as HTMLSelectElement).value).toBe('2'));
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toMatch(/^Catálogo local: 1/));
    await sellByPix();
    await waitFor(() => expect(screen.getByTestId('last-sale').textContent).toContain('Venda guardada neste terminal'));
    const [kept] = await waitingSales();
    expect(kept!.body).toMatchObject({ store_id: 2, items: [{ product_id: 1, unit_price: '13.50' }] }); // at the store's price
    expect(kept!.store).toEqual({ id: 2, name: 'Loja Bairro' });
    fireEvent.click(screen.getByRole('button', { name: 'Recibo' }));
    expect((await screen.findByTestId('receipt-store')).textContent).toBe('Loja Bairro');
  });

  it('after a reload the stock shown still counts what the waiting sales took', async () => {
    await keepSale(keptSale('a', '2026-12-01T10:00:00Z', { id: 9, username: 'caixa1' })); // one Café (the fixture's product 1)
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toMatch(/^Catálogo local: 1 produtos/));
    fireEvent.input(screen.getByLabelText(/Código de barras ou nome/), { target: { value: 'cafe' } });
    await waitFor(() => expect(screen.getAllByRole('option')[0]!.textContent).toContain('estoque 2'));
  });

  it('shows who a sale waits for, and the refused ones with the server’s reason until discarded with confirmation', async () => {
    const ana = keptSale('ana', '2026-12-01T10:00:00Z', { id: 8, username: 'ana' });
    await keepSale(ana);
    await markForbidden(ana, 9);
    const old = keptSale('velha', '2026-11-20T10:00:00Z', { id: 9, username: 'caixa1' });
    await keepSale(old);
    await markRefused(old, 400, 'Venda feita há mais de 72 horas: não pode ser registrada');
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('outbox-forbidden').textContent).toBe('aguardando ana ou um administrador entrar'));
    expect(screen.getByTestId('refused-list').textContent).toContain('Venda feita há mais de 72 horas: não pode ser registrada');
    fireEvent.click(screen.getByRole('button', { name: 'Descartar' }));
    await screen.findByText(/não será registrada/);
    fireEvent.click(screen.getAllByRole('button', { name: 'Descartar' }).at(-1)!);
    await waitFor(() => expect(screen.queryByTestId('refused-list')).toBeNull());
    expect(await refusedSales()).toEqual([]);
  });

  it('a Pix payment offline says the QR Code cannot be made now', async () => {
    renderPdv();
    await waitFor(() => expect(screen.getByTestId('catalog-status').textContent).toMatch(/^Catálogo local: 1/));
    await scan(cafe.code!);
    await screen.findByTestId('offline-status');
    fireEvent.keyDown(window, { key: 'F2' });
    await screen.findByRole('button', { name: /Confirmar venda/ });
    fireEvent.click(screen.getByLabelText(/Pix/));
    expect((await screen.findByTestId('pix-offline')).textContent).toMatch(/o QR Code do Pix não pode ser gerado agora/);
  });
});
