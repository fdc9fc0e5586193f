import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sale } from '../../api/types';
import { setSession } from '../../app/session';
import { admin, json, sale } from '../../test/fixtures';
import { CancelSaleDialog, ReturnDialog } from './SaleActions';

const sold: Sale = sale(9, {
  total_amount: 60.29,
  payments: [{ method: 'pix', amount: 60.29, tendered: null }],
  items: [
    { id: 21, sale_id: 9, product_id: 1, product_name: 'Arroz', quantity: 2, price_at_sale: 25.9, subtotal: 51.8, discount_amount: 0, total_amount: 51.8, returned_quantity: 1, unit: 'UN' },
    { id: 22, sale_id: 9, product_id: 2, product_name: 'Feijão', quantity: 1, price_at_sale: 8.49, subtotal: 8.49, discount_amount: 0, total_amount: 8.49, returned_quantity: 1, unit: 'UN' },
  ],
});
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  setSession({ token: 't', user: admin });
  fetchMock = vi.fn(async (url: string) => {
    if (url === '/api/sales/9/returns') return json(409, { error: 'Devolução acima do vendido no item 21. Disponível para devolver: 1' });
    if (url === '/api/sales/9/cancel') return json(200, { ...sold, status: 'cancelada' });
    return json(404, { error: 'não esperado' });
  });
  vi.stubGlobal('fetch', fetchMock);
});

function wrap(children: preact.ComponentChildren) {
  return <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>;
}

describe('the history’s actions', () => {
  it('a cancellation needs a reason', async () => {
    const onDone = vi.fn();
    render(wrap(<CancelSaleDialog sale={sold} onClose={() => {}} onDone={onDone} />));
    fireEvent.click(screen.getByRole('button', { name: 'Cancelar venda' }));
    expect(screen.getByText('Informe o motivo do cancelamento.')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('Motivo *'), { target: { value: ' Cliente desistiu ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancelar venda' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith('Venda nº 9 cancelada.'));
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body)).toEqual({ reason: 'Cliente desistiu' });
  });

  it('a return offers up to sold minus returned, refunds by the sale’s method, and shows the server’s 409', async () => {
    render(wrap(<ReturnDialog sale={sold} paymentLabel={(m) => m} onClose={() => {}} />));
    const arroz = screen.getByLabelText('Devolver quantos de Arroz (até 1)') as HTMLInputElement;
    expect((screen.getByLabelText('Devolver quantos de Feijão (até 0)') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Reembolso em') as HTMLSelectElement).value).toBe('pix');
    fireEvent.input(arroz, { target: { value: '2' } });
    fireEvent.input(screen.getByLabelText('Motivo *'), { target: { value: 'Defeito' } });
    fireEvent.click(screen.getByRole('button', { name: 'Registrar devolução' }));
    expect(screen.getByRole('alert').textContent).toBe('Arroz: devolva de 0 a 1.');
    expect(fetchMock).not.toHaveBeenCalled();
    fireEvent.input(arroz, { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Registrar devolução' }));
    await screen.findByText(/Devolução acima do vendido/);
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body)).toEqual({ items: [{ sale_item_id: 21, quantity: 1 }], reason: 'Defeito', refund_method: 'pix' });
  });
});
