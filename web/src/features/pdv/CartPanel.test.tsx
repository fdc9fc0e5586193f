import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { type Cart, setCustomer } from './cart';
import { CartPanel } from './CartPanel';
import { usePersistentCart } from './useCart';

const cafe = { product_id: 1, name: 'Café', code: '789', unit_cents: 1499, stock: 3, quantity: 2 };
const agua = { product_id: 2, name: 'Água', code: null, unit_cents: 250, stock: 10, quantity: 1 };

function Harness(props: { submitting?: boolean; lastTouched?: number | null; focusSearch?: () => void; onCheckout?: () => void; onPickCustomer?: () => void }) {
  const { cart, update } = usePersistentCart(3);
  return (
    <CartPanel
      cart={cart}
      update={update}
      lastTouched={props.lastTouched ?? null}
      submitting={props.submitting ?? false}
      focusSearch={props.focusSearch ?? (() => {})}
      onClear={() => update((c) => ({ ...c, items: [] }))}
      onCheckout={props.onCheckout ?? (() => {})}
      onPickCustomer={props.onPickCustomer ?? (() => {})}
      onRemoveCustomer={() => update((c) => setCustomer(c, null))}
    />
  );
}

function show(items: Cart['items'], props: Parameters<typeof Harness>[0] = {}) {
  localStorage.setItem('sv.cart.3', JSON.stringify({ attemptKey: 'k', items }));
  return render(<Harness {...props} />);
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ');
const quantity = (name: string) => screen.getByLabelText(`Quantidade de ${name}`) as HTMLInputElement;
const rowText = (id: number) => plain(document.querySelector(`[data-product-id="${id}"]`)?.textContent);

describe('the cart view', () => {
  it('shows each item with its unit price and subtotal, the item count and the total', () => {
    show([cafe, agua]);
    expect(rowText(1)).toContain('R$ 14,99');
    expect(rowText(1)).toContain('R$ 29,98');
    expect(rowText(1)).toContain('estoque 3');
    expect(plain(screen.getByTestId('cart-count').textContent)).toBe('3 item(ns)');
    expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 32,48');
  });

  it('says how to start when it is empty, with the buttons disabled', () => {
    show([]);
    expect(screen.getByText(/Leia um código de barras para começar/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /Finalizar venda/ }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Esvaziar carrinho' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('− and + step the quantity, not below 1 nor beyond the stock', () => {
    show([{ ...cafe, quantity: 1 }]);
    expect((screen.getByLabelText('Diminuir Café') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Aumentar Café'));
    fireEvent.click(screen.getByLabelText('Aumentar Café'));
    expect(quantity('Café').value).toBe('3');
    fireEvent.click(screen.getByLabelText('Aumentar Café'));
    expect(quantity('Café').value).toBe('3');
    expect(screen.getByTestId('item-error').textContent).toBe('Estoque insuficiente: disponível 3');
    fireEvent.click(screen.getByLabelText('Diminuir Café'));
    expect(quantity('Café').value).toBe('2');
  });

  it('a typed quantity beyond the stock is capped, and one below 1 is refused', () => {
    show([cafe]);
    fireEvent.change(quantity('Café'), { target: { value: '50' } });
    expect(quantity('Café').value).toBe('3');
    expect(plain(screen.getByTestId('cart-total').textContent)).toBe('R$ 44,97');
    fireEvent.change(quantity('Café'), { target: { value: '0' } });
    expect(quantity('Café').value).toBe('3');
  });

  it('Remover takes the item out and gives the focus back to the search', () => {
    const focusSearch = vi.fn();
    show([cafe, agua], { focusSearch });
    fireEvent.click(screen.getByLabelText('Remover Café'));
    expect(document.querySelector('[data-product-id="1"]')).toBeNull();
    expect(focusSearch).toHaveBeenCalled();
  });

  it('highlights the item last added; while the sale is being sent nothing can be emptied or sent again', () => {
    const onCheckout = vi.fn();
    show([cafe, agua], { lastTouched: 2, submitting: true, onCheckout });
    expect(document.querySelector('[data-product-id="2"]')!.className).toContain('bg-blue-50');
    expect(document.querySelector('[data-product-id="1"]')!.className).not.toContain('bg-blue-50');
    const finish = screen.getByRole('button', { name: /Finalizar venda/ }) as HTMLButtonElement;
    expect(finish.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Esvaziar carrinho' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
