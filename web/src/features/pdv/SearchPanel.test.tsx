import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { product } from '../../test/fixtures';
import { catalogText, Results, type ResultsProps } from './SearchPanel';

const cafe = product(1, { name: 'Café', code: '7891000100103', price: 14.99, stock: 3 });
const sal = product(2, { name: 'Sal', code: null, price: 3, stock: 0 });

function results(props: Partial<ResultsProps> = {}) {
  const onPick = vi.fn();
  render(<Results term="ca" found={[cafe, sal]} active={0} fetching={false} done error={null} onPick={onPick} {...props} />);
  return onPick;
}

const plain = (s: string | null | undefined) => (s ?? '').replace(/\u00a0/g, ' ');

describe('the search results', () => {
  it('lists each product with its price and stock, the highlighted one selected', () => {
    results({ active: 1 });
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true']);
    expect(options[0]!.id).toBe('pdv-opt-1');
    expect(plain(options[0]!.textContent)).toBe('Café7891000100103R$ 14,99estoque 3');
    expect(plain(options[1]!.textContent)).toContain('sem estoque');
    expect(options[1]!.getAttribute('aria-disabled')).toBe('true');
  });

  it('a click picks the product', () => {
    const onPick = results();
    fireEvent.click(screen.getByText('Sal'));
    expect(onPick).toHaveBeenCalledWith(sal);
  });

  it('says it is searching, or that nothing was found once the answer came', () => {
    results({ found: [], fetching: true, done: false });
    expect(screen.getByText('Buscando…')).toBeTruthy();
    expect(screen.queryByText('Nenhum produto encontrado.')).toBeNull();
    cleanup();
    results({ found: [], fetching: false, done: true });
    expect(screen.getByText('Nenhum produto encontrado.')).toBeTruthy();
    cleanup();
    results({ term: '', found: [], fetching: false, done: true });
    expect(screen.queryByText('Nenhum produto encontrado.')).toBeNull();
  });

  it('shows a failed search', () => {
    results({ found: [], error: new Error('Não foi possível falar com o servidor.') });
    expect(screen.getByRole('alert').textContent).toBe('Não foi possível falar com o servidor.');
  });
});

describe('the catalog status', () => {
  it('says how far the background load has got', () => {
    expect(catalogText(null)).toBe('Carregando catálogo…');
    expect(catalogText({ total: 250, copy: false })).toBe('Catálogo local: 250 produtos');
    expect(catalogText({ total: 250, copy: true })).toMatch(/^Catálogo local: 250 produtos \(guardado neste terminal/);
  });
});
