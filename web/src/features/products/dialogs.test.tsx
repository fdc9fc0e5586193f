import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent } from '@testing-library/preact';
import { type ComponentChildren, render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Category, Product } from '../../api/types';
import { ProductFormDialog } from './ProductFormDialog';
import { StockDialog } from './StockDialog';

const categories: Category[] = [{ id: 1, name: 'Mercearia', created_at: '2026-11-01T10:00:00Z', products_count: 0 }];
const cafe: Product = {
  id: 1, name: 'Café Torrado 500g', description: null, price: 14.99, catalog_price: 14.99, stock: 3, category_id: 1, category_name: 'Mercearia',
  created_at: '2026-11-01T10:00:00Z', code: '7891000100103', min_stock: 5, low_stock: true, updated_at: '2026-11-01T10:00:00Z', unit: 'UN', barcode: null, barcodes: [], cost_price: null, average_cost: null, active: true, photo_url: null, thumbnail_url: null,
};
const root = document.body.appendChild(document.createElement('div'));
// Unmount, then let Preact's after-paint timers (up to 35 ms) run while jsdom is still there: on a
// loaded machine the file could otherwise end first, and the timer would find no
// cancelAnimationFrame ("Unhandled error" in the run).
afterEach(async () => {
  render(null, root);
  await new Promise((r) => setTimeout(r, 50));
});

// Preact's own `render` commits at once and leaves effects for after the paint, as a browser
// does: a person (or a barcode scanner) can type in between.
function show(dialog: ComponentChildren) {
  render(<QueryClientProvider client={new QueryClient()}>{dialog}</QueryClientProvider>, root);
}

async function typeAtOnce(selector: string, text: string) {
  fireEvent.input(root.querySelector<HTMLInputElement>(selector)!, { target: { value: text } });
  await new Promise((r) => setTimeout(r, 50));
  return root.querySelector<HTMLInputElement>(selector)!.value;
}

const noop = () => {};
const newProduct = (open: boolean) => (
  <ProductFormDialog open={open} product={null} categories={categories} onClose={noop} onSaved={noop} />
);

describe('dialogs keep what is typed right after they open', () => {
  it('new product', async () => {
    show(newProduct(false));
    show(newProduct(true));
    expect(await typeAtOnce('#product-name', 'Água Mineral 500ml')).toBe('Água Mineral 500ml');
  });

  it('stock', async () => {
    show(<StockDialog product={null} onClose={noop} onSaved={noop} />);
    show(<StockDialog product={cafe} onClose={noop} onSaved={noop} />);
    expect(await typeAtOnce('#stock-value', '12')).toBe('12');
  });
});

describe('the photo in the product form', () => {
  it('shows the current photo and offers to remove it', async () => {
    const withPhoto = { ...cafe, photo_url: '/api/photos/a.jpg', thumbnail_url: '/api/photos/b.jpg' };
    show(<ProductFormDialog open product={withPhoto} categories={categories} onClose={noop} onSaved={noop} />);
    await new Promise((r) => setTimeout(r, 0));
    expect(root.querySelector('[data-testid="product-photo-preview"]')?.getAttribute('src')).toBe('/api/photos/a.jpg');
    const remove = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Remover foto')!;
    fireEvent.click(remove);
    await new Promise((r) => setTimeout(r, 0));
    expect(root.querySelector('[data-testid="product-photo-preview"]')).toBeNull();
    expect(root.textContent).toContain('Sem foto');
  });
});
