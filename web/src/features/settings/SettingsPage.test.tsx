import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../api/types';
import { setSession } from '../../app/session';
import { json } from '../../test/fixtures';
import SettingsPage, { changes, fieldOf, toForm } from './SettingsPage';

const saved: Settings = {
  shop_name: 'Loja',
  shop_cnpj: null,
  shop_address: null,
  shop_phone: null,
  pix_key: null,
  pix_merchant_name: null,
  pix_merchant_city: null,
  max_discount_percent: 5,
  require_cash_session: false,
  auto_print: false,
  printer_address: null,
  printer_columns: 48,
  open_drawer: false,
  updated_at: null,
  scale_label_mask: '2CCCCCXVVVVVD',
  scale_label_value: 'peso',
  offline_sale_max_hours: 72,
};

describe('the settings form', () => {
  it('sends only what changed; an emptied text is null', () => {
    const form = toForm(saved);
    expect(changes(saved, form)).toEqual({});
    form.text.shop_name = ' ';
    form.text.shop_cnpj = '11.222.333/0001-81';
    form.max_discount_percent = '7,5';
    form.auto_print = true;
    form.printer_columns = 32;
    expect(changes(saved, form)).toEqual({ shop_name: null, shop_cnpj: '11.222.333/0001-81', max_discount_percent: '7.5', auto_print: true, printer_columns: 32 });
  });

  it('knows which field a message of the server is about', () => {
    expect(fieldOf('CNPJ inválido: dígitos verificadores não conferem')).toBe('shop_cnpj');
    expect(fieldOf('Chave PIX inválida')).toBe('pix_key');
    expect(fieldOf('Nome do recebedor PIX deve ter no máximo 25 caracteres')).toBe('pix_merchant_name');
    expect(fieldOf('Cidade do recebedor PIX deve ter no máximo 15 caracteres')).toBe('pix_merchant_city');
    expect(fieldOf('max_discount_percent deve ser um percentual de 0 a 100')).toBe('max_discount_percent');
    expect(fieldOf('Endereço da impressora inválido')).toBe('printer_address');
    expect(fieldOf('Endereço deve ter no máximo 200 caracteres')).toBe('shop_address');
    expect(fieldOf('Algo deu errado')).toBeNull();
  });

  it('shows the server’s refusal next to the field', async () => {
    setSession({ token: 't', user: { id: 1, username: 'admin', role: 'admin', active: true, created_at: '2026-11-29T10:00:00Z' } });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'PUT' ? json(400, { error: 'CNPJ inválido: dígitos verificadores não conferem' }) : json(200, saved),
      ),
    );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <SettingsPage />
      </QueryClientProvider>,
    );
    fireEvent.input(await screen.findByLabelText('CNPJ'), { target: { value: '11.222.333/0001-00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salvar configurações' }));
    await waitFor(() => expect(screen.getByLabelText('CNPJ').getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('set-shop_cnpj-error')?.textContent).toBe('CNPJ inválido: dígitos verificadores não conferem');
  });
});

