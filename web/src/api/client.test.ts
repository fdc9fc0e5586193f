import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getSession, setSession } from '../app/session';
import { ApiError, buildUrl, download, fileNameFrom, isUnreachable, request, send, setUnauthorizedHandler } from './client';
import { serverReachable } from './connectivity';
import { exportSales } from '../features/sales/api';
import { user } from '../test/fixtures';

const maria = user(2, { username: 'maria' });

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(() => {});
});

describe('api client', () => {
  it('sends the Bearer token and JSON', async () => {
    setSession({ token: 'tok123', user: maria });
    fetchMock.mockResolvedValue(json(201, { id: 1, name: 'Bebidas' }));
    const res = await request<{ id: number }>('/api/categories', { method: 'POST', body: { name: 'Bebidas' } });
    expect(res.id).toBe(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/categories');
    expect(init.method).toBe('POST');
    expect(init.headers.Authorization).toBe('Bearer tok123');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"name":"Bebidas"}');
  });

  it('leaves empty query parameters out', () => {
    expect(buildUrl('/api/products', { search: 'café', page: 2, category_id: '', code: undefined })).toBe(
      '/api/products?search=caf%C3%A9&page=2',
    );
  });

  it('turns {"error"} bodies into ApiError with the extra fields', async () => {
    setSession({ token: 't', user: maria });
    fetchMock.mockResolvedValue(
      json(400, { error: 'Estoque insuficiente para o produto Café. Disponível: 1', product_id: 5, available: 1 }),
    );
    const err = await request('/api/sales', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toBe('Estoque insuficiente para o produto Café. Disponível: 1');
    expect((err as ApiError).body).toMatchObject({ product_id: 5, available: 1 });
  });

  it('gives a Portuguese message when the body is not JSON or the network fails', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(request('/api/info')).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/servidor/) });
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(request('/api/info')).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/conexão/) });
  });

  it('knows whether the server answers: no answer, a gateway’s 502/503/504 or an answer cut off say no; any other answer says yes', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const none = await request('/api/info').catch((e: unknown) => e);
    expect(isUnreachable(none)).toBe(true);
    expect(serverReachable()).toBe(false);
    fetchMock.mockResolvedValueOnce(json(404, { error: 'Não encontrado' }));
    const refused = await request('/api/info').catch((e: unknown) => e);
    expect(isUnreachable(refused)).toBe(false);
    expect(serverReachable()).toBe(true);
    fetchMock.mockResolvedValueOnce(json(503, { error: 'Service Unavailable' }));
    expect(isUnreachable(await request('/api/info').catch((e: unknown) => e))).toBe(true);
    expect(serverReachable()).toBe(false);
    fetchMock.mockResolvedValueOnce(new Response('{"id": 4', { status: 201, headers: { 'Content-Type': 'application/json' } }));
    const cut = await request('/api/sales', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(cut).toMatchObject({ status: 0, message: expect.stringMatching(/não chegou inteira/) });
  });

  it('passes a 304 through to the caller that asked with If-None-Match', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 304 }));
    expect((await send('/api/products/catalog', { headers: { 'If-None-Match': '"7"' } })).status).toBe(304);
  });

  it('on 401 clears the session and calls the handler, but keeps the PDV cart', async () => {
    setSession({ token: 'expired', user: maria });
    localStorage.setItem('sv.cart.2', '{"items":[],"attemptKey":"k"}');
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    fetchMock.mockResolvedValue(json(401, { error: 'Token expirado' }));
    await expect(request('/api/products')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(getSession()).toBeNull();
    expect(localStorage.getItem('sv.token')).toBeNull();
    expect(localStorage.getItem('sv.cart.2')).toBe('{"items":[],"attemptKey":"k"}');
  });

  it('a 401 from the login form (no session) is just wrong credentials', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    fetchMock.mockResolvedValue(json(401, { error: 'Credenciais inválidas' }));
    await expect(request('/api/auth/login', { method: 'POST', body: {} })).rejects.toMatchObject({
      message: 'Credenciais inválidas',
    });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('a 403 does not end the session', async () => {
    setSession({ token: 't', user: maria });
    fetchMock.mockResolvedValue(json(403, { error: 'Acesso negado. Apenas administradores podem realizar esta ação' }));
    await expect(request('/api/users')).rejects.toMatchObject({ status: 403 });
    expect(getSession()?.token).toBe('t');
  });
});

describe('CSV download', () => {
  it('reads the file name from Content-Disposition', () => {
    expect(fileNameFrom('attachment; filename="vendas.csv"')).toBe('vendas.csv');
    expect(fileNameFrom("attachment; filename*=UTF-8''vendas%202026.csv")).toBe('vendas 2026.csv');
    expect(fileNameFrom('attachment; filename=vendas.csv')).toBe('vendas.csv');
    expect(fileNameFrom(null)).toBeNull();
  });

  it('fetches with the token and the filters, and saves the Blob through a temporary link', async () => {
    setSession({ token: 'tok', user: maria });
    const csv = '\ufeffid;data;total\n1;29/11/2026 14:05;12,50\n';
    fetchMock.mockResolvedValue(
      new Response(csv, { status: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="vendas-2026-11-29.csv"' } }),
    );
    const created: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, {
      createObjectURL: vi.fn((b: Blob) => {
        created.push(b);
        return 'blob:fake';
      }),
      revokeObjectURL: vi.fn(),
    }));
    const clicks: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download });
    });

    const name = await exportSales({ start_date: '2026-11-01T00:00', end_date: '2026-11-29T23:59', user_id: '' }, 'x.csv');

    expect(name).toBe('vendas-2026-11-29.csv');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/sales/export?start_date=2026-11-01T00%3A00&end_date=2026-11-29T23%3A59');
    expect(init.headers.Authorization).toBe('Bearer tok');
    expect(clicks).toEqual([{ href: 'blob:fake', download: 'vendas-2026-11-29.csv' }]);
    expect(await created[0]!.text()).toContain('12,50');
    expect(document.querySelector('a[download]')).toBeNull(); // the link is removed
    click.mockRestore();
  });

  it('uses the fallback name and reports errors from the server', async () => {
    setSession({ token: 'tok', user: maria });
    fetchMock.mockResolvedValueOnce(json(400, { error: 'Formato de data inválido para start_date' }));
    await expect(download('/api/sales/export', { start_date: 'x' }, 'vendas.csv')).rejects.toMatchObject({
      message: 'Formato de data inválido para start_date',
    });
  });
});
