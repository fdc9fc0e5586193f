import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaymentMethod } from '../../api/types';
import { setSession } from '../../app/session';
import { info, json, user } from '../../test/fixtures';
import { CheckoutDialog } from './CheckoutDialog';
import type { PaymentLine } from './payments';

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ');

beforeEach(() => {
  setSession({ token: 't', user: user(7) });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url === '/api/info') return json(200, info);
      if (url.startsWith('/api/pix')) return json(200, { payload: '000201PIX', svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
      return json(404, { error: 'não esperado' });
    }),
  );
});

function Harness({ onConfirm, lines: initial = [] }: { onConfirm: () => Promise<'partial' | 'sent' | 'invalid' | 'busy'>; lines?: PaymentLine[] }) {
  const [method, setMethod] = useState<PaymentMethod>('dinheiro');
  const [entry, setEntry] = useState('');
  return (
    <CheckoutDialog
      open
      storeId={undefined}
      priced={{ subtotal: 5500, discount: 320, total: 5180 }}
      customer={null}
      onPickCustomer={() => {}}
      lines={initial}
      method={method}
      onMethod={setMethod}
      entry={entry}
      onEntry={setEntry}
      error={null}
      submitting={false}
      onConfirm={onConfirm}
      onRemoveLine={() => {}}
      onClose={() => {}}
    />
  );
}

function show(props: Partial<Parameters<typeof Harness>[0]> = {}) {
  const onConfirm = props.onConfirm ?? vi.fn(async () => 'sent' as const);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <Harness onConfirm={onConfirm} lines={props.lines} />
    </QueryClientProvider>,
  );
  return onConfirm;
}

const radio = (m: PaymentMethod) => document.querySelector<HTMLInputElement>(`input[name="payment"][value="${m}"]`)!;
const amount = () => screen.getByLabelText(/Valor recebido|Valor em/) as HTMLInputElement;

describe('the checkout dialog', () => {
  it('shows the total with its discounts, and the change in big digits as the cash is typed', () => {
    show();
    expect(plain(screen.getByTestId('checkout-total').textContent)).toBe('R$ 51,80');
    expect(plain(screen.getByTestId('checkout-discount').textContent)).toContain('descontos −R$ 3,20');
    fireEvent.input(amount(), { target: { value: '100' } });
    expect(plain(screen.getByTestId('change').textContent)).toBe('R$ 48,20');
    expect(plain(screen.getByTestId('remaining').textContent)).toBe('R$ 0,00');
    fireEvent.input(amount(), { target: { value: '20' } });
    expect(plain(screen.getByTestId('remaining').textContent)).toBe('R$ 31,80');
    expect(screen.getByRole('button', { name: /Adicionar pagamento/ })).toBeTruthy();
  });

  it('1–5 choose the method from the radio buttons, not while typing the amount', async () => {
    show();
    const form = amount().closest('form')!;
    fireEvent.keyDown(radio('dinheiro'), { key: '2' });
    await waitFor(() => expect(radio('debito').checked).toBe(true));
    expect(amount().id).toBe('received');
    fireEvent.keyDown(amount(), { key: '3' }); // a digit of the amount
    expect(radio('debito').checked).toBe(true);
    expect(form).toBeTruthy();
  });

  it('a card above what is missing is refused before sending', () => {
    const onConfirm = show();
    fireEvent.keyDown(radio('dinheiro'), { key: '3' });
    fireEvent.input(amount(), { target: { value: '60' } });
    expect(screen.getByText(/passa do que falta/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /Confirmar venda|Adicionar/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(amount().closest('form')!);
    expect(onConfirm).toHaveBeenCalledTimes(1); // the hook refuses it again; the dialog only passes it on
  });

  it('a held Enter (key repeat) does nothing', () => {
    const onConfirm = show();
    fireEvent.keyDown(radio('dinheiro'), { key: 'Enter', repeat: true });
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.keyDown(radio('dinheiro'), { key: 'Enter' });
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('PIX: the QR, the copia e cola and the warning that a static code confirms nothing', async () => {
    show({ lines: [{ method: 'debito', amount: 2000 }] });
    fireEvent.keyDown(radio('dinheiro'), { key: '4' });
    const qr = (await screen.findByTestId('pix-qr')) as HTMLImageElement;
    expect(qr.src).toMatch(/^data:image\/svg\+xml/);
    expect(qr.alt).toBe('QR Code Pix de R$\u00a031,80');
    expect((screen.getByLabelText('Pix copia e cola') as HTMLTextAreaElement).value).toBe('000201PIX');
    expect(screen.getByTestId('pix-warning').textContent).toMatch(/estático.*não recebe a confirmação/);
    expect(screen.getByRole('button', { name: /Pix conferido: confirmar venda/ })).toBeTruthy();
    const calls = (fetch as unknown as ReturnType<typeof vi.fn>).mock.calls.map(([u]) => String(u));
    expect(calls).toContain('/api/pix?amount=31.80');
  });
});
