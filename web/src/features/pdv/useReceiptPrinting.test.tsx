import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sale } from '../../api/types';
import { setSession } from '../../app/session';
import { info, json, sale, user } from '../../test/fixtures';
import { useSettings } from '../settings/api';
import type { Notice } from './notice';
import { useReceiptPrinting } from './useReceiptPrinting';

let printer: string | null;
let printAnswer: () => Response;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  printer = null;
  printAnswer = () => new Response(null, { status: 204 });
  fetchMock = vi.fn(async (url: string) => {
    if (url === '/api/info') return json(200, info);
    // The receipt of a sale reads the settings in the sale's store.
    if (url.startsWith('/api/settings')) return json(200, { shop_name: 'Loja Teste', auto_print: true, printer_address: printer, printer_columns: 48 });
    if (url === '/api/sales/42/print') return printAnswer();
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function harness() {
  const notices: Notice[] = [];
  let api!: ReturnType<typeof useReceiptPrinting>;
  function H() {
    api = useReceiptPrinting((n) => notices.push(n), useSettings());
    return <div>{api.printer}</div>;
  }
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <H />
    </QueryClientProvider>,
  );
  return { notices, get: () => api };
}

const sold: Sale = sale(42, { total_amount: 12.5, payments: [{ method: 'dinheiro', amount: 12.5, tendered: null }] });

describe('printing the receipt after a sale', () => {
  it('goes to the network thermal printer when the settings have one; its failure is said', async () => {
    printer = '192.168.0.50:9100';
    const h = harness();
    await waitFor(() => expect(h.get().auto).toBe(true));
    act(() => h.get().print(sold));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u, i]) => u === '/api/sales/42/print' && i.method === 'POST')).toBe(true));
    printAnswer = () => json(502, { error: 'Impressora 192.168.0.50:9100 não respondeu' });
    act(() => h.get().print(sold));
    await waitFor(() => expect(h.notices.at(-1)?.text).toBe('Venda nº 42 registrada, mas o recibo não foi impresso: Impressora 192.168.0.50:9100 não respondeu'));
  });

  it('otherwise prints through the browser, only the receipt on the paper', async () => {
    const print = vi.fn(() => {
      expect(document.documentElement.classList.contains('printing-receipt')).toBe(true);
      expect(document.getElementById('print-receipt')?.textContent).toContain('Loja Teste');
    });
    vi.stubGlobal('print', print);
    const h = harness();
    await waitFor(() => expect(h.get().auto).toBe(true));
    act(() => h.get().print(sold));
    await waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(document.getElementById('print-receipt')).toBeNull());
    expect(document.documentElement.classList.contains('printing-receipt')).toBe(false);
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/sales/42/print')).toBe(false);
  });
});
