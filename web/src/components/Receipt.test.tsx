import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { sale, settings as shopSettings } from '../test/fixtures';
import { customerDocument, formatCnpj, pageStyle, Receipt, storedFormat, storeFormat } from './Receipt';

const settings = shopSettings({
  shop_name: 'Mercadinho Boa Vista',
  shop_cnpj: '11.222.333/0001-81',
  shop_address: 'Rua das Flores, 123',
  shop_phone: '(19) 3232-1234',
});

const label = (m: string) => ({ dinheiro: 'Dinheiro', pix: 'Pix' })[m] ?? m;
const text = () => (screen.getByTestId('receipt').textContent ?? '').replace(/\u00a0/g, ' ');

const items = [
  { id: 11, sale_id: 5, product_id: 1, product_name: 'Arroz 5kg', quantity: 2, price_at_sale: 25.9, subtotal: 51.8, discount_amount: 5.18, total_amount: 46.62, returned_quantity: 1, unit: 'UN' as const },
];

describe('the receipt', () => {
  it('has the shop, the sale, the items with discounts, the payments with change and says it is not a fiscal document', () => {
    render(
      <Receipt
        sale={sale(5, {
          items,
          subtotal_amount: 51.8,
          discount_amount: 5.18,
          total_amount: 46.62,
          payments: [{ method: 'dinheiro', amount: 46.62, tendered: 50 }],
          change: 3.38,
          discount_approved_by: 'admin',
        })}
        settings={settings}
        timeZone="America/Sao_Paulo"
        paymentLabel={label}
        format="80mm"
      />,
    );
    const t = text();
    for (const s of ['Mercadinho Boa Vista', 'CNPJ 11.222.333/0001-81', 'Rua das Flores, 123', 'Tel. (19) 3232-1234', 'Venda nº 5', '29/11/2026 14:05', 'Vendedor: caixa', 'Arroz 5kg', '2 × R$ 25,90', 'desconto', '−R$ 5,18', 'TOTALR$ 46,62', 'recebidoR$ 50,00', 'TrocoR$ 3,38', 'Desconto aprovado por admin', 'devolvido(s): 1']) {
      expect(t).toContain(s);
    }
    expect(screen.getAllByText('NÃO É DOCUMENTO FISCAL')).toHaveLength(2);
    expect(screen.queryByTestId('receipt-cancelled')).toBeNull();
    expect(screen.getByTestId('receipt').className).toContain('receipt-80mm');
  });

  it('says VENDA CANCELADA with who, when and why, and lists the returns', () => {
    render(
      <Receipt
        sale={sale(6, {
          items,
          status: 'cancelada',
          cancelled_at: '2026-11-29T18:00:00Z',
          cancelled_by: 'admin',
          cancel_reason: 'Cliente desistiu',
          refunded_amount: 23.31,
          returns: [
            { id: 1, sale_id: 6, user_id: 1, user_username: 'admin', reason: 'Embalagem furada', refund_method: 'pix', refund_amount: 23.31, cash_session_id: null, created_at: '2026-11-29T17:30:00Z', items: [{ sale_item_id: 11, quantity: 1, refund_amount: 23.31 }] },
          ],
        })}
        settings={undefined}
        timeZone="America/Sao_Paulo"
        paymentLabel={label}
        format="58mm"
      />,
    );
    expect(screen.getByTestId('receipt-cancelled').textContent).toBe('VENDA CANCELADA29/11/2026 15:00 por adminMotivo: Cliente desistiu');
    const returns = (screen.getByTestId('receipt-returns').textContent ?? '').replace(/\u00a0/g, ' ');
    expect(returns).toContain('1 × Arroz 5kg');
    expect(returns).toContain('Reembolso em Pix · admin');
    expect(returns).toContain('Embalagem furada');
    expect(returns).toContain('−R$ 23,31');
    expect(text()).toContain('Sistema de Vendas'); // no shop name set
  });

  it('prints the customer after the seller, as the server’s receipt does: "Cliente: …" and "CPF: …" or "CNPJ: …"', () => {
    const { unmount } = render(
      <Receipt sale={sale(8, { customer: { id: 3, name: 'Ana Souza', document: '529.982.247-25' } })} settings={settings} timeZone="UTC" paymentLabel={label} format="80mm" />,
    );
    expect(screen.getByTestId('receipt-customer').textContent).toBe('Cliente: Ana SouzaCPF: 529.982.247-25');
    const t = text();
    expect(t.indexOf('Vendedor: caixa')).toBeLessThan(t.indexOf('Cliente: Ana Souza'));
    unmount();

    const company = render(
      <Receipt sale={sale(9, { customer: { id: 4, name: 'Empresa Alfa Ltda', document: '12.ABC.345/01DE-35' } })} settings={settings} timeZone="UTC" paymentLabel={label} format="58mm" />,
    );
    expect(screen.getByTestId('receipt-customer').textContent).toBe('Cliente: Empresa Alfa LtdaCNPJ: 12.ABC.345/01DE-35');
    company.unmount();

    // A customer without a document: the name only; no customer: nothing.
    const nameOnly = render(<Receipt sale={sale(10, { customer: { id: 5, name: 'José', document: null } })} settings={settings} timeZone="UTC" paymentLabel={label} format="a4" />);
    expect(screen.getByTestId('receipt-customer').textContent).toBe('Cliente: José');
    nameOnly.unmount();
    render(<Receipt sale={sale(11)} settings={settings} timeZone="UTC" paymentLabel={label} format="a4" />);
    expect(screen.queryByTestId('receipt-customer')).toBeNull();
    expect(text()).not.toContain('Cliente');
  });

  it('prints the sale’s store under the shop’s name when the shop has several; with one, nothing', () => {
    const first = sale(12, { store_id: 1, store_name: 'Mercadinho Boa Vista' });
    const one = render(<Receipt sale={first} settings={settings} timeZone="UTC" paymentLabel={label} format="80mm" />);
    expect(screen.queryByTestId('receipt-store')).toBeNull();
    one.unmount();
    const bairro = sale(13, { store_id: 2, store_name: 'Loja Bairro' });
    const several = render(<Receipt sale={bairro} settings={settings} timeZone="UTC" paymentLabel={label} format="80mm" showStore />);
    const header = screen.getByTestId('receipt').querySelector('header')!;
    expect([...header.children].slice(0, 2).map((p) => p.textContent)).toEqual(['Mercadinho Boa Vista', 'Loja Bairro']);
    several.unmount();
    // An employee of Loja Bairro sees only it, but its sales still say where they were made.
    render(<Receipt sale={bairro} settings={settings} timeZone="UTC" paymentLabel={label} format="80mm" />);
    expect(screen.getByTestId('receipt-store').textContent).toBe('Loja Bairro');
  });

  it('names the customer’s document by its kind', () => {
    expect(customerDocument('529.982.247-25')).toBe('CPF: 529.982.247-25');
    expect(customerDocument('11.222.333/0001-81')).toBe('CNPJ: 11.222.333/0001-81');
    expect(customerDocument('12.ABC.345/01DE-35')).toBe('CNPJ: 12.ABC.345/01DE-35');
  });

  it('sales from before payments were recorded show their one method', () => {
    render(<Receipt sale={sale(7, { payment_method: 'pix', total_amount: 12 })} settings={settings} timeZone="UTC" paymentLabel={label} format="a4" />);
    expect(text()).toContain('PixR$ 12,00');
  });

  it('prints on the paper chosen, remembered on this computer', () => {
    expect(pageStyle('80mm')).toBe('@page { size: 80mm auto; margin: 0 }');
    expect(pageStyle('58mm')).toBe('@page { size: 58mm auto; margin: 0 }');
    expect(pageStyle('a4')).toContain('A4');
    expect(storedFormat()).toBe('80mm');
    storeFormat('58mm');
    expect(storedFormat()).toBe('58mm');
    expect(formatCnpj('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatCnpj('12ABC34501DE35')).toBe('12.ABC.345/01DE-35');
  });
});
