import { describe, expect, it } from 'vitest';
import type { Product } from '../../api/types';
import { emptyValues, fieldOfApiError, validateProduct, valuesFrom } from './productForm';

const valid = { ...emptyValues(), name: ' Café Torrado ', category_id: '3', price: '14,99', stock: '20', min_stock: '5', code: ' 789 ' };

describe('product form', () => {
  it('builds the API body: trimmed text, exact price string, integers', () => {
    const r = validateProduct(valid, true);
    expect(r.errors).toEqual({});
    expect(r.input).toEqual({ name: 'Café Torrado', description: '', price: '14.99', category_id: 3, code: '789', min_stock: 5, stock: 20 });
  });

  it('does not send the stock when editing (stock changes go through the stock dialog)', () => {
    expect(validateProduct(valid, false).input).not.toHaveProperty('stock');
  });

  it('sends an empty code as null', () => {
    expect(validateProduct({ ...valid, code: '  ' }, true).input?.code).toBeNull();
  });

  it('explains each invalid field', () => {
    const r = validateProduct({ ...emptyValues(), stock: '-1', min_stock: '2.5', code: 'x'.repeat(65) }, true);
    expect(r.input).toBeUndefined();
    expect(Object.keys(r.errors).toSorted()).toEqual(['category_id', 'code', 'min_stock', 'name', 'price', 'stock']);
    expect(validateProduct({ ...valid, price: '0' }, true).errors.price).toMatch(/maior que zero/);
    expect(validateProduct({ ...valid, price: '1,999' }, true).errors.price).toMatch(/duas casas/);
  });

  it('fills the form from a product', () => {
    const p: Product = {
      id: 1, name: 'Água', description: null, price: 2.5, stock: 7, category_id: 2, category_name: 'Bebidas',
      created_at: '', code: null, min_stock: 3, low_stock: false, updated_at: '2026-11-01T10:00:00Z', unit: 'UN', barcode: null, barcodes: [], cost_price: null, average_cost: null, active: true,
    };
    expect(valuesFrom(p)).toEqual({ name: 'Água', code: '', description: '', category_id: '2', price: '2,50', stock: '7', min_stock: '3' });
  });

  it('puts API errors next to the field they are about', () => {
    expect(fieldOfApiError('Código já cadastrado em outro produto')).toBe('code');
    expect(fieldOfApiError('Categoria não encontrada')).toBe('category_id');
    expect(fieldOfApiError('Preço deve ser um valor positivo')).toBe('price');
    expect(fieldOfApiError('Erro qualquer')).toBeNull();
  });
});
