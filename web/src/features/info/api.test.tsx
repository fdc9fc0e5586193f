import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/preact';
import type { ComponentChildren } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { info, json } from '../../test/fixtures';
import { usePaymentLabel, useTimezone } from './api';

afterEach(() => vi.unstubAllGlobals());

function withClient(qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })) {
  return ({ children }: { children: ComponentChildren }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
}

describe('GET /api/info', () => {
  it('names the payment methods as the server does; the code itself until it answers', async () => {
    let answer!: () => void;
    const gate = new Promise<void>((r) => (answer = r));
    const fetchMock = vi.fn(async () => {
      await gate;
      return json(200, { ...info, payment_methods: [{ method: 'debito', label: 'Débito (cartão)' }] });
    });
    vi.stubGlobal('fetch', fetchMock);
    const { result } = renderHook(() => usePaymentLabel(), { wrapper: withClient() as never });
    expect(result.current('debito')).toBe('debito');
    answer();
    await waitFor(() => expect(result.current('debito')).toBe('Débito (cartão)'));
    expect(result.current('pix')).toBe('pix'); // a method the server does not list
  });

  it('is asked once however many parts of the page use it, and gives the business time zone', async () => {
    const fetchMock = vi.fn(async () => json(200, { ...info, timezone: 'America/Manaus' }));
    vi.stubGlobal('fetch', fetchMock);
    const { result } = renderHook(() => [useTimezone(), usePaymentLabel()] as const, { wrapper: withClient() as never });
    expect(result.current[0]).toBe('America/Sao_Paulo');
    await waitFor(() => expect(result.current[0]).toBe('America/Manaus'));
    expect(result.current[1]('pix')).toBe('Pix');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
