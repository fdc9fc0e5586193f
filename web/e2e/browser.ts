// Debian's Chromium driven by playwright-core (no browser download), pages that collect
// console errors, the hooks every e2e file shares (`e2eSuite`), screenshots, and a small API
// client for test setup.
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ARTIFACTS, type RunningServer, type ServerOptions, startServer } from './server';

const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--lang=pt-BR',
  ],
};

export async function launch(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/** A browser whose profile (service workers, IndexedDB, localStorage) lives in `userDataDir`, so
 * that closing it and launching it again with the same folder is the same browser reopened. */
export async function launchPersistent(userDataDir: string, baseURL: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { ...CHROMIUM, baseURL, viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** console errors and uncaught exceptions; HTTP 4xx the test provoked are listed apart */
  errors: string[];
  httpErrors: string[];
}

export async function openPage(browser: Browser, baseURL: string, viewport = { width: 1366, height: 768 }): Promise<TrackedPage> {
  const context = await browser.newContext({ baseURL, viewport, acceptDownloads: true, locale: 'pt-BR' });
  const page = await context.newPage();
  const errors: string[] = [];
  const httpErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every 4xx answer of fetch() as a console error. The tests provoke some on
    // purpose (wrong password, stock taken by another terminal); they are checked by the test
    // that provokes them, and any other console error fails the run.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
      httpErrors.push(`${msg.location().url} ${msg.text()}`);
    } else {
      errors.push(msg.text());
    }
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, context, errors, httpErrors };
}

export interface E2eSuite {
  /** This file's server (from its first `beforeAll` on). */
  readonly server: RunningServer;
  readonly baseURL: string;
  readonly browser: Browser;
  /** A page in a new browser context (its own localStorage), whose console errors fail the test. */
  open: (viewport?: { width: number; height: number }) => Promise<TrackedPage>;
}

/**
 * The hooks of an e2e file, in one place: `beforeAll` starts the real binary with a fresh
 * database (`startServer(name, options)`) and Chromium; after each test, a console error or an
 * uncaught exception in any page the file has opened so far fails that test (HTTP 4xx are
 * listed apart, in `httpErrors`, for the test that provokes them to check); `afterAll` closes
 * the browser and stops the server. Call it once, at the top of the file, before the file's
 * own `beforeAll` (hooks run in the order they are declared, so the server is up by then).
 */
function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} ainda não iniciado: use-o dentro dos testes ou de um beforeAll declarado depois de e2eSuite()`);
  return value;
}

export function e2eSuite(name: string, options: ServerOptions & { timeout?: number } = {}): E2eSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const pages: TrackedPage[] = [];

  beforeAll(async () => {
    server = await startServer(name, options);
    browser = await launch();
  }, options.timeout);

  afterEach(() => {
    const errors = pages.flatMap((p) => p.errors);
    if (errors.length > 0) throw new Error(`Erros no console do navegador:\n${errors.join('\n')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get server() {
      return started(server, 'O servidor');
    },
    get baseURL() {
      return started(server, 'O servidor').baseURL;
    },
    get browser() {
      return started(browser, 'O navegador');
    },
    open: async (viewport) => {
      const p = await openPage(started(browser, 'O navegador'), started(server, 'O servidor').baseURL, viewport);
      pages.push(p);
      return p;
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function loginUI(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Usuário').fill(username);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** A token for setting up data through the API. */
export async function apiLogin(baseURL: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function api<T>(baseURL: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseURL}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** At the PDV with items in the cart: F2, cash ("1"), Enter pays what is due; waits for the sale. */
export async function payInCashWithKeyboard(page: Page): Promise<void> {
  await page.keyboard.press('F2');
  await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'payment');
  await page.keyboard.press('1');
  await page.waitForFunction(() => document.activeElement?.id === 'received');
  await page.keyboard.press('Enter');
  await page.getByTestId('last-sale').filter({ hasText: 'Venda nº' }).waitFor();
}
