// The one HTTP client: base URL from VITE_API_URL, Bearer token, JSON in and out, `{"error"}`
// bodies turned into ApiError, and a 401 ends the session and goes to /login (the PDV cart is
// in localStorage and survives). Every answer, or the lack of one, tells connectivity.ts whether
// the server is reachable.
import { clearSession, getSession } from '../app/session';
import { setServerReachable } from './connectivity';
import type { ErrorBody } from './types';

export const API_URL: string = (import.meta.env.VITE_API_URL ?? '').replace(/\/+$/, '');

export class ApiError extends Error {
  readonly status: number;
  readonly body: Partial<ErrorBody>;

  constructor(status: number, message: string, body: Partial<ErrorBody> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Statuses a proxy or load balancer answers when the server behind it is not there. */
const GATEWAY_DOWN = [502, 503, 504];

/** The request got no answer from the server (network error, timeout, a gateway's 502/503/504):
 * trying again later may work, and a sale can be kept on the terminal meanwhile. */
export const isUnreachable = (e: unknown): boolean =>
  e instanceof ApiError && (e.status === 0 || GATEWAY_DOWN.includes(e.status));

/** Called when the server says the session is no longer valid. Set by the app (router). */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function buildUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return `${API_URL}${path}${s ? `?${s}` : ''}`;
}

const FALLBACK: Record<number, string> = {
  401: 'Sua sessão expirou. Entre novamente.',
  403: 'Acesso negado.',
  404: 'Não encontrado.',
  429: 'Muitas tentativas. Aguarde um pouco e tente de novo.',
};

/** Sends a request and returns the raw Response when it is 2xx; throws ApiError otherwise. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const session = getSession();
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  let body: string | Blob | undefined;
  if (options.body instanceof Blob) {
    // A file (a product's photo) goes as it is.
    headers['Content-Type'] = options.body.type || 'application/octet-stream';
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
    });
  } catch (e) {
    // The caller gave up (a page left); a timeout (AbortSignal.timeout) is an unanswered request.
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    setServerReachable(false);
    throw new ApiError(0, 'Não foi possível falar com o servidor. Verifique a conexão e tente de novo.');
  }
  setServerReachable(!GATEWAY_DOWN.includes(res.status));
  // 304: the copy named by the request's If-None-Match is still current (the PDV's catalog).
  if (res.ok || res.status === 304) return res;

  let parsed: Partial<ErrorBody> = {};
  try {
    parsed = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // not JSON (a proxy's HTML page, say): keep the fallback message
  }
  const message =
    typeof parsed.error === 'string' && parsed.error
      ? parsed.error
      : (FALLBACK[res.status] ?? `Erro inesperado do servidor (${res.status}). Tente de novo.`);
  const error = new ApiError(res.status, message, parsed);

  // A 401 on a request that carried a token means the session is over. (A 401 from the login
  // form itself is just "wrong password" and carries no token.)
  if (res.status === 401 && session) {
    clearSession();
    onUnauthorized();
  }
  throw error;
}

/** Where an address the API gives (a photo's `/api/photos/...`) is fetched from. */
export function apiAsset(path: string): string {
  return `${API_URL}${path}`;
}

/** JSON request. An answer cut off on the way (the connection lost in the middle of the body)
 * counts as no answer: what the server did is not known. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    setServerReachable(false);
    throw new ApiError(0, 'A resposta do servidor não chegou inteira. Verifique a conexão e tente de novo.');
  }
}

/** File name from a Content-Disposition header, if any. */
export function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(disposition);
  return plain?.[2]?.trim() ?? null;
}

/**
 * Downloads a file that needs the Authorization header (a plain link cannot send it):
 * fetch -> Blob -> object URL -> a temporary <a download>.
 */
export async function download(path: string, query: Query, fallbackName: string): Promise<string> {
  const res = await send(path, { query, headers: { Accept: '*/*' } });
  const blob = await res.blob();
  const name = fileNameFrom(res.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
