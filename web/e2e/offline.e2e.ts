// The PDV without the server, end to end (issue 14): the real binary stopped mid-shift and started
// again on the same port and database, Debian's Chromium with a profile on disk (its service
// worker and IndexedDB survive a reload and a closed browser), and a small HTTP proxy that can
// cut the terminal off while the server stays up, or lose the server's answer to a sale on the
// way back. Every check of what arrived is made through the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, apiLogin, e2eSuite, launchPersistent, loginUI, screenshot } from './browser';
import { type RunningServer, startServer } from './server';

const e2e = e2eSuite('offline');

interface Sale {
  id: number;
  client_id: string | null;
  timestamp: string;
  received_at: string;
  user_username: string;
  total_amount: number;
  cash_session_id: number | null;
  payments: { method: string; amount: number }[];
  review_reasons: string[];
}

const PRODUCTS = [
  { name: 'Café Torrado 500g', code: 'CAFE-1', price: '14.99', stock: 50 },
  { name: 'Arroz Tipo 1 5kg', code: 'ARROZ-5', price: '25.90', stock: 50 },
  { name: 'Azeite Extra Virgem', code: 'ULTIMO', price: '39.90', stock: 1 },
];

/** The shop every server of this file starts with: the products, two cashiers and caixa's open cash. */
async function seed(baseURL: string): Promise<{ admin: string; cashSessionId: number }> {
  const admin = await apiLogin(baseURL, 'admin', 'admin123');
  const category = await api<{ id: number }>(baseURL, admin, 'POST', '/api/categories', { name: 'Mercearia' });
  for (const p of PRODUCTS) await api(baseURL, admin, 'POST', '/api/products', { ...p, category_id: category.id, min_stock: 0 });
  for (const username of ['caixa', 'outro']) await api(baseURL, admin, 'POST', '/api/users', { username, password: `${username}123`, role: 'funcionario' });
  const caixa = await apiLogin(baseURL, 'caixa', 'caixa123');
  const cash = await api<{ id: number }>(baseURL, caixa, 'POST', '/api/cash-sessions', { opening_float: '100.00' });
  return { admin, cashSessionId: cash.id };
}

async function salesOf(baseURL: string, admin: string): Promise<Sale[]> {
  return (await api<{ sales: Sale[] }>(baseURL, admin, 'GET', '/api/sales?per_page=100')).sales;
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** JavaScript errors of a page; the failed requests of a server that is down are expected here. */
function track(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function atSearch(page: Page) {
  await page.waitForFunction(() => document.activeElement?.id === 'pdv-search');
}

async function scan(page: Page, code: string) {
  await atSearch(page);
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press('Enter');
}

/** F2, then each payment: a method's key (1 dinheiro, 2 débito…) and an amount (empty: what is
 * missing). After a partial payment the focus goes back to the methods. */
async function pay(page: Page, ...payments: [key: string, amount: string][]) {
  const atMethods = () => page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
  await page.keyboard.press('F2');
  await atMethods();
  for (const [n, [key, amount]] of payments.entries()) {
    await page.keyboard.press(key);
    await page.waitForFunction(() => document.activeElement?.id === 'received');
    if (amount) await page.keyboard.type(amount);
    await page.keyboard.press('Enter');
    if (n < payments.length - 1) await atMethods();
  }
}

/** "Enviar agora", unless the sending got there first (the button goes with the list). */
async function sendNow(page: Page) {
  await page.getByRole('button', { name: 'Enviar agora' }).click({ timeout: 3_000 }).catch(() => {});
}

/** Waits until the outbox is empty and the count is gone from the PDV. */
async function allSent(page: Page, timeout: number) {
  await expect.poll(async () => (await outbox(page)).length, { timeout, interval: 250 }).toBe(0);
  await page.getByTestId('outbox-count').waitFor({ state: 'detached', timeout: 5_000 });
}

/** Waits for "N venda(s) aguardando envio". */
async function waiting(page: Page, n: number, timeout = 15_000) {
  const text = n === 1 ? '1 venda aguardando envio' : `${n} vendas aguardando envio`;
  await page.getByTestId('outbox-count').filter({ hasText: text }).waitFor({ timeout });
}

/** A kept sale: the notice and the count. */
async function kept(page: Page, n: number) {
  await page.getByRole('status').filter({ hasText: 'Venda guardada neste terminal; será enviada quando o servidor voltar' }).first().waitFor();
  await waiting(page, n);
}

/** What a store of the page's IndexedDB holds (nothing when the app has not created it yet: opening
 * it here first would create it empty, without the app's stores). */
function readStore<T>(page: Page, database: string, store: string, keys = false): Promise<T[]> {
  return page.evaluate(
    async ([name, storeName, onlyKeys]) => {
      if (!(await indexedDB.databases()).some((d) => d.name === name)) return [];
      return new Promise<T[]>((done, fail) => {
        const open = indexedDB.open(name);
        open.addEventListener('error', () => fail(open.error));
        open.addEventListener('success', () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(storeName)) {
            db.close();
            return done([]);
          }
          const objects = db.transaction(storeName).objectStore(storeName);
          const all = onlyKeys ? objects.getAllKeys() : objects.getAll();
          all.addEventListener('error', () => fail(all.error));
          all.addEventListener('success', () => {
            db.close();
            done(all.result as T[]);
          });
        });
      });
    },
    [database, store, keys] as const,
  );
}

/** The PDV has what it needs offline on the terminal: the service worker controls the page and
 * the copies (catalog, the settings in its store — the shop's only store, 1 —, payment names, the
 * cash session) are kept. */
async function readyForOffline(page: Page) {
  await page.getByTestId('catalog-status').filter({ hasText: /^Catálogo local: \d+ produtos$/ }).waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await expect
    .poll(async () => {
      const keys = (await readStore<string>(page, 'sv-copias', 'copies', true)).map(String);
      return ['catalogo', 'configuracoes.loja1', 'info'].every((k) => keys.includes(k)) && keys.some((k) => k.startsWith('caixa.'));
    })
    .toBe(true);
}

/** The outbox as IndexedDB has it: each sale's id and when it was made. */
async function outbox(page: Page): Promise<{ client_id: string; made_at: string }[]> {
  const sales = await readStore<{ client_id: string; made_at: string }>(page, 'sv-pdv', 'outbox');
  return sales.map(({ client_id, made_at }) => ({ client_id, made_at }));
}

/**
 * A shift that loses the server: caixa sells three times with the server stopped (one sale split
 * between cash and a debit card), the page is reloaded and the browser closed and opened again
 * while the server is still down, and once it is back the three arrive once, with the times they
 * were made, in caixa's cash session.
 */
async function shiftWithoutServer(server: RunningServer, name: string): Promise<Sale[]> {
  const { admin, cashSessionId } = await seed(server.baseURL);
  const profile = mkdtempSync(join(tmpdir(), 'sv-e2e-profile-'));
  let context: BrowserContext | null = await launchPersistent(profile, server.baseURL);
  try {
    let page = context.pages()[0] ?? (await context.newPage());
    const errors = track(page);
    await loginUI(page, 'caixa', 'caixa123');
    await page.getByTestId('cash-status').filter({ hasText: 'Caixa aberto' }).waitFor();
    await readyForOffline(page);

    await server.halt();
    await scan(page, 'CAFE-1');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    await pay(page, ['1', '']);
    await kept(page, 1);
    await page.getByTestId('offline-status').waitFor();

    await scan(page, 'ARROZ-5');
    await scan(page, 'ARROZ-5');
    await page.getByLabel('Quantidade de Arroz Tipo 1 5kg').waitFor();
    await pay(page, ['1', '10'], ['2', '']); // R$ 10,00 in cash, the rest (R$ 41,80) on a debit card
    await kept(page, 2);

    await scan(page, 'CAFE-1');
    await pay(page, ['1', '20']);
    await kept(page, 3);
    expect(plain(await page.getByTestId('last-change').textContent())).toBe('R$ 5,01');
    await screenshot(page, `o01-${name}-tres-guardadas`);
    const made = await outbox(page);
    expect(made).toHaveLength(3);

    // A reload with the server still down: the service worker opens the PDV, the sales are there.
    await page.reload();
    await waiting(page, 3);
    await page.getByTestId('offline-status').waitFor();
    await page.getByTestId('catalog-status').filter({ hasText: 'guardado neste terminal' }).waitFor();
    expect(errors).toEqual([]);

    // The browser closed and opened again, still offline.
    await context.close();
    context = await launchPersistent(profile, server.baseURL);
    page = context.pages()[0] ?? (await context.newPage());
    const reopenedErrors = track(page);
    await page.goto('/pdv');
    await waiting(page, 3);
    await page.goto('/vendas'); // any other page needs the server
    await page.getByTestId('needs-server').filter({ hasText: 'Esta página precisa do servidor' }).waitFor();
    await screenshot(page, `o02-${name}-pagina-precisa-do-servidor`);
    await page.getByRole('link', { name: 'Ir para o PDV' }).click();
    await waiting(page, 3);
    expect(await outbox(page)).toEqual(made);

    await server.resume();
    await allSent(page, 45_000); // the periodic retry finds the server
    await page.getByTestId('offline-status').waitFor({ state: 'detached' });
    expect(reopenedErrors).toEqual([]);

    const sales = await salesOf(server.baseURL, admin);
    expect(sales).toHaveLength(3); // exactly three, none twice
    for (const m of made) {
      const sale = sales.find((s) => s.client_id === m.client_id);
      expect(sale).toBeDefined();
      expect(Date.parse(sale!.timestamp)).toBe(Date.parse(m.made_at));
      expect(Date.parse(sale!.received_at)).toBeGreaterThan(Date.parse(sale!.timestamp));
      expect(sale).toMatchObject({ user_username: 'caixa', cash_session_id: cashSessionId, review_reasons: [] });
    }
    const split = sales.find((s) => s.total_amount === 51.8)!;
    expect(split.payments.map((p) => [p.method, p.amount])).toEqual([
      ['dinheiro', 10],
      ['debito', 41.8],
    ]);
    return sales;
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A proxy in front of the server, which the browser talks to: `down` drops every connection
 * (the terminal cut off while the server stays up); `loseNextSaleReply` lets the next POST
 * /api/sales reach the server and drops the connection once the server has answered it
 * (`lostClientId`: the client_id of that sale). */
interface Proxy {
  baseURL: string;
  down: boolean;
  loseNextSaleReply: boolean;
  lostClientId: string | null;
  close: () => Promise<void>;
}

async function startProxy(upstreamPort: number): Promise<Proxy> {
  let server: Server;
  const proxy = {
    baseURL: '',
    down: false,
    loseNextSaleReply: false,
    lostClientId: null as string | null,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
  server = createServer((req, res) => {
    if (proxy.down) {
      req.socket.destroy();
      return;
    }
    const lose = proxy.loseNextSaleReply && req.method === 'POST' && req.url === '/api/sales';
    if (lose) {
      proxy.loseNextSaleReply = false;
      const body: Buffer[] = [];
      req.on('data', (chunk: Buffer) => body.push(chunk));
      req.on('end', () => (proxy.lostClientId = (JSON.parse(Buffer.concat(body).toString()) as { client_id: string }).client_id));
    }
    const upstream = forward({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (lose) {
        // The server has answered (the sale is committed); the terminal gets the status line
        // and then the connection closes: the answer is lost. (With nothing at all on a reused
        // connection, Chromium would send the request again by itself.)
        answer.resume();
        answer.on('end', () => {
          req.socket.write('HTTP/1.1 201 Created\r\n');
          req.socket.destroy();
        });
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  proxy.baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return proxy;
}

describe('O PDV sem o servidor (SQLite)', () => {
  it('the server stops mid-shift: three sales offline, a reload and a reopened browser keep them, and exactly three arrive once, at their times', async () => {
    expect(await shiftWithoutServer(e2e.server, 'sqlite')).toHaveLength(3);
  }, 180_000);
});

describe('O PDV sem conexão, atrás de um proxy', () => {
  let server: RunningServer;
  let proxy: Proxy;
  let admin: string;
  const contexts: BrowserContext[] = [];
  let errors: string[] = [];

  beforeAll(async () => {
    // This file's server has the first scenario's sales; these run on a server of their own.
    server = await startServer('offline-proxy');
    admin = (await seed(server.baseURL)).admin;
    proxy = await startProxy(server.port);
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await proxy?.close();
    await server?.stop();
  });

  /** A terminal of its own (a new browser profile) where `username` has opened the PDV. */
  async function pdvAs(username: string): Promise<Page> {
    const context = await e2e.browser.newContext({ baseURL: proxy.baseURL, viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    contexts.push(context);
    const page = await context.newPage();
    errors = track(page);
    await loginUI(page, username, `${username}123`);
    await readyForOffline(page);
    return page;
  }

  it('a reply lost on the way back ends with one sale, not two', async () => {
    const page = await pdvAs('caixa');
    const before = (await salesOf(server.baseURL, admin)).length;
    proxy.loseNextSaleReply = true;
    await scan(page, 'CAFE-1');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    await pay(page, ['1', '']);
    await kept(page, 1); // no answer: kept on the terminal, though the server has it
    // (Sent again by itself at once when another request reaches the server: the outbox may be
    // empty already, so the sale is known by what the proxy saw.)
    const lost = proxy.lostClientId;
    expect(lost).toMatch(/^[0-9a-f-]{36}$/);
    await allSent(page, 30_000); // sent again by itself: the server answers the sale it has
    const sales = (await salesOf(server.baseURL, admin)).filter((s) => s.client_id === lost);
    expect(sales).toHaveLength(1);
    expect((await salesOf(server.baseURL, admin)).length).toBe(before + 1);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('two tabs online after an offline period send each sale once', async () => {
    const first = await pdvAs('caixa');
    const second = await first.context().newPage();
    const secondErrors = track(second);
    await second.goto('/pdv');
    await readyForOffline(second);
    const answered = new Map<string, number>();
    for (const page of [first, second]) {
      page.on('response', async (r) => {
        if (r.request().method() !== 'POST' || new URL(r.url()).pathname !== '/api/sales' || !r.ok()) return;
        const id = (JSON.parse(r.request().postData() ?? '{}') as { client_id?: string }).client_id ?? '';
        answered.set(id, (answered.get(id) ?? 0) + 1);
      });
    }
    const before = (await salesOf(server.baseURL, admin)).length;
    proxy.down = true;
    for (const page of [first, second, first]) {
      await page.bringToFront();
      await scan(page, 'ARROZ-5');
      await page.getByLabel('Quantidade de Arroz Tipo 1 5kg').waitFor();
      await pay(page, ['1', '']);
      await page.getByRole('status').filter({ hasText: 'Venda guardada neste terminal' }).first().waitFor();
    }
    await waiting(first, 3);
    await waiting(second, 3); // every tab sees the terminal's outbox
    const ids = (await outbox(first)).map((s) => s.client_id);
    proxy.down = false;
    await Promise.all([sendNow(first), sendNow(second)]);
    await allSent(first, 30_000);
    await allSent(second, 30_000);
    expect(Object.fromEntries(answered)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    const sales = await salesOf(server.baseURL, admin);
    expect(sales.length).toBe(before + 3);
    expect(sales.filter((s) => s.client_id && ids.includes(s.client_id))).toHaveLength(3);
    expect([...errors, ...secondErrors]).toEqual([]);
    await first.close();
    await second.close();
  }, 120_000);

  it('a sale past the stock is recorded when it arrives, flagged, and shown for review on the dashboard', async () => {
    const page = await pdvAs('caixa');
    proxy.down = true;
    // Meanwhile another terminal sells the last unit (straight to the server).
    const outro = await apiLogin(server.baseURL, 'outro', 'outro123');
    const ultimo = (await api<{ products: { id: number }[] }>(server.baseURL, admin, 'GET', '/api/products?search=Azeite')).products[0]!;
    await api(server.baseURL, outro, 'POST', '/api/sales', { items: [{ product_id: ultimo.id, quantity: 1 }], payment_method: 'dinheiro' });
    await scan(page, 'ULTIMO'); // the terminal still sees one
    await page.getByLabel('Quantidade de Azeite Extra Virgem').waitFor();
    await pay(page, ['1', '']);
    await kept(page, 1);
    const [late] = await outbox(page);
    proxy.down = false;
    await sendNow(page);
    await allSent(page, 30_000);

    const sale = (await salesOf(server.baseURL, admin)).find((s) => s.client_id === late!.client_id)!;
    expect(sale.review_reasons).toContain('estoque_insuficiente');
    const product = await api<{ stock: number }>(server.baseURL, admin, 'GET', `/api/products/${ultimo.id}`);
    expect(product.stock).toBe(-1);

    // The administrator sees it under "Para revisar", with the product below zero, and marks it.
    await page.getByRole('button', { name: 'Sair' }).click();
    await loginUI(page, 'admin', 'admin123');
    const card = page.getByTestId('review');
    await card.waitFor();
    expect(plain(await card.getByTestId('review-sales').textContent())).toContain(`Venda nº ${sale.id}`);
    expect(plain(await card.getByTestId('review-sales').textContent())).toContain('vendida sem estoque suficiente');
    expect(plain(await card.getByTestId('review-products').textContent())).toContain('Azeite Extra Virgem');
    await screenshot(page, 'o03-para-revisar');
    await card.getByRole('button', { name: 'Marcar como revisada' }).click();
    await page.getByRole('link', { name: `Venda nº ${sale.id}` }).waitFor({ state: 'detached' });
    const reviewed = (await salesOf(server.baseURL, admin)).find((s) => s.id === sale.id) as Sale & { reviewed_by: string | null };
    expect(reviewed.reviewed_by).toBe('admin');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the session expires while offline: after logging in again the sales go as the seller who made them', async () => {
    const page = await pdvAs('caixa');
    proxy.down = true;
    await scan(page, 'CAFE-1');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    await pay(page, ['1', '']);
    await kept(page, 1);
    // The token is no longer valid (expired, say); the PDV goes on offline with the stored user.
    await page.evaluate(() => localStorage.setItem('sv.token', 'expirado'));
    await page.reload();
    await scan(page, 'CAFE-1');
    await page.getByLabel('Quantidade de Café Torrado 500g').waitFor();
    await pay(page, ['1', '']);
    await kept(page, 2);
    const ids = (await outbox(page)).map((s) => s.client_id);

    // The server answers again: the first send gets 401, the app goes to the login, the outbox stays.
    proxy.down = false;
    await sendNow(page);
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByText('Sua sessão expirou').waitFor();
    expect(await outbox(page)).toHaveLength(2);

    // Another employee may not send caixa's sales: they wait for caixa or an administrator.
    await page.getByLabel('Usuário').fill('outro');
    await page.getByLabel('Senha').fill('outro123');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByTestId('outbox-forbidden').filter({ hasText: 'aguardando caixa ou um administrador entrar' }).first().waitFor({ state: 'attached', timeout: 30_000 });
    expect(await outbox(page)).toHaveLength(2);

    await page.getByRole('button', { name: 'Sair' }).click();
    await loginUI(page, 'admin', 'admin123');
    await page.goto('/pdv');
    await allSent(page, 30_000);
    const sales = (await salesOf(server.baseURL, admin)).filter((s) => s.client_id && ids.includes(s.client_id));
    expect(sales.map((s) => s.user_username)).toEqual(['caixa', 'caixa']);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('O PDV sem o servidor (PostgreSQL)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('offline-postgres', { postgres: true });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('the same shift against PostgreSQL: three sales offline arrive once, at their times', async () => {
    expect(await shiftWithoutServer(server, 'postgres')).toHaveLength(3);
  }, 180_000);
});
