import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { setSession } from '../../app/session';
import { admin, json, settings } from '../../test/fixtures';
import SettingsPage, { changes, fieldOf, toForm } from './SettingsPage';

const saved = settings();

function renderPage() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <SettingsPage />
    </QueryClientProvider>,
  );
}

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
    expect(fieldOf('offline_sale_max_hours deve ser um número inteiro de horas, de 1 a 720')).toBe('offline_sale_max_hours');
    expect(fieldOf('Endereço deve ter no máximo 200 caracteres')).toBe('shop_address');
    expect(fieldOf('Algo deu errado')).toBeNull();
  });

  it('sends the hours an offline sale is accepted for as a whole number, only when changed', () => {
    const form = toForm(saved);
    form.offline_sale_max_hours = ' 72 ';
    expect(changes(saved, form)).toEqual({});
    form.offline_sale_max_hours = '24';
    expect(changes(saved, form)).toEqual({ offline_sale_max_hours: 24 });
    form.offline_sale_max_hours = '1,5';
    expect(changes(saved, form)).toEqual({ offline_sale_max_hours: '1,5' });
  });

  it('shows the loaded hours an offline sale is accepted for', async () => {
    setSession({ token: 't', user: admin });
    vi.stubGlobal('fetch', vi.fn(async () => json(200, { ...saved, offline_sale_max_hours: 48 })));
    renderPage();
    const input = (await screen.findByLabelText('Vendas sem conexão aceitas por até (horas)')) as HTMLInputElement;
    expect(input.value).toBe('48');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Uma venda feita no PDV sem conexão com o servidor é enviada quando ele volta; depois desse prazo o servidor a recusa.',
    );
  });

  it('saves a change of the hours an offline sale is accepted for', async () => {
    setSession({ token: 't', user: admin });
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'PUT' ? json(200, { ...saved, offline_sale_max_hours: 24 }) : json(200, saved),
    );
    vi.stubGlobal('fetch', fetch);
    renderPage();
    fireEvent.input(await screen.findByLabelText('Vendas sem conexão aceitas por até (horas)'), { target: { value: '24' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salvar configurações' }));
    await screen.findByText('Configurações salvas.');
    const put = fetch.mock.calls.find(([, init]) => init?.method === 'PUT');
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({ offline_sale_max_hours: 24 });
  });

  it('shows the server’s refusal of the hours next to their field', async () => {
    setSession({ token: 't', user: admin });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'PUT' ? json(400, { error: 'offline_sale_max_hours deve ser um número inteiro de horas, de 1 a 720' }) : json(200, saved),
      ),
    );
    renderPage();
    const input = await screen.findByLabelText('Vendas sem conexão aceitas por até (horas)');
    fireEvent.input(input, { target: { value: '721' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salvar configurações' }));
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('set-offline-hours-hint')?.textContent).toBe('offline_sale_max_hours deve ser um número inteiro de horas, de 1 a 720');
  });

  it('shows the server’s refusal next to the field', async () => {
    setSession({ token: 't', user: admin });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'PUT' ? json(400, { error: 'CNPJ inválido: dígitos verificadores não conferem' }) : json(200, saved),
      ),
    );
    renderPage();
    fireEvent.input(await screen.findByLabelText('CNPJ'), { target: { value: '11.222.333/0001-00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Salvar configurações' }));
    await waitFor(() => expect(screen.getByLabelText('CNPJ').getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('set-shop_cnpj-error')?.textContent).toBe('CNPJ inválido: dígitos verificadores não conferem');
  });
});

