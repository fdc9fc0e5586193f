import { describe, expect, it } from 'vitest';
import { product } from '../../test/fixtures';
import { countReducer, difference, emptyCount, toSend } from './count';

const cafe = product(1, { name: 'Café', stock: 5 });
const queijo = product(2, { name: 'Queijo', unit: 'KG', stock: 1 });

describe('the inventory count', () => {
  it('each scan counts one more of the product; labels add their weight exactly', () => {
    let s = emptyCount();
    s = countReducer(s, { type: 'scan', product: cafe, quantity: 1 });
    s = countReducer(s, { type: 'scan', product: queijo, quantity: 0.2 });
    s = countReducer(s, { type: 'scan', product: cafe, quantity: 1 });
    s = countReducer(s, { type: 'scan', product: queijo, quantity: 0.155 });
    s = countReducer(s, { type: 'scan', product: cafe, quantity: 1 });
    expect(s.lines.map((l) => [l.product.name, l.counted])).toEqual([['Café', 3], ['Queijo', 0.355]]);
    expect(s.last).toBe(1);
    expect(s.lines.map(difference)).toEqual([-2, -0.645]);
  });

  it('a typed count replaces the scans; a confirmed line is not sent again, a refused one is', () => {
    let s = countReducer(emptyCount(), { type: 'scan', product: cafe, quantity: 1 });
    s = countReducer(s, { type: 'scan', product: queijo, quantity: 1 });
    s = countReducer(s, { type: 'set', productId: 1, counted: 7 });
    expect(s.lines[0]!.counted).toBe(7);
    s = countReducer(s, { type: 'status', productId: 1, status: { kind: 'recorded', stock: 7 }, product: { ...cafe, stock: 7 } });
    s = countReducer(s, { type: 'status', productId: 2, status: { kind: 'error', message: 'Produto não encontrado' } });
    expect(toSend(s).map((l) => l.product.id)).toEqual([2]);
    expect(difference(s.lines[0]!)).toBe(0);
    // Scanning a confirmed product again makes it pending again.
    s = countReducer(s, { type: 'scan', product: cafe, quantity: 1 });
    expect(toSend(s).map((l) => l.product.id)).toEqual([1, 2]);
    s = countReducer(s, { type: 'remove', productId: 2 });
    expect(s.lines.map((l) => l.product.id)).toEqual([1]);
    expect(countReducer(s, { type: 'clear' })).toEqual(emptyCount());
  });
});
