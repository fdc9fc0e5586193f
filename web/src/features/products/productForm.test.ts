import { describe, expect, it } from 'vitest';
import type { Product } from '../../api/types';
import { emptyValues, fieldOfApiError, MAX_PHOTO_BYTES, photoProblem, validateProduct, valuesFrom } from './productForm';

const valid = { ...emptyValues(), name: ' Café Torrado ', category_id: '3', price: '14,99', stock: '20', min_stock: '5', code: ' 789 ' };

describe('product form', () => {
  it('builds the API body: trimmed text, exact price string, integers', () => {
    const r = validateProduct(valid, true);
    expect(r.errors).toEqual({});
    expect(r.input).toEqual({
      name: 'Café Torrado', description: '', price: '14.99', category_id: 3, code: '789', min_stock: 5, stock: 20,
      unit: 'UN', cost_price: null, barcodes: [], active: true,
    });
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
      id: 1, name: 'Água', description: null, price: 2.5, catalog_price: 2.5, stock: 7, category_id: 2, category_name: 'Bebidas',
      created_at: '', code: null, min_stock: 3, low_stock: false, updated_at: '2026-11-01T10:00:00Z', unit: 'UN', barcode: null, barcodes: [], cost_price: null, average_cost: null, active: true, photo_url: null, thumbnail_url: null,
    };
    expect(valuesFrom(p)).toEqual({
      name: 'Água', code: '', description: '', category_id: '2', price: '2,50', stock: '7', min_stock: '3',
      unit: 'UN', cost_price: '', barcodes: [''], active: true,
    });
    expect(valuesFrom({ ...p, unit: 'KG', stock: 2.145, min_stock: 0.5, cost_price: 8.4, barcodes: ['7891000100103'], active: false })).toMatchObject({
      stock: '2,145', min_stock: '0,500', cost_price: '8,40', barcodes: ['7891000100103'], active: false,
    });
  });

  it('sold by weight: stocks with three decimals; barcodes checked and sent as a list; cost as a string', () => {
    const kg = { ...valid, unit: 'KG' as const, stock: '2,145', min_stock: '0,5', cost_price: '8,4', barcodes: [' 7891000100103 ', '', '96385074'] };
    const r = validateProduct(kg, true);
    expect(r.errors).toEqual({});
    expect(r.input).toMatchObject({ unit: 'KG', stock: 2.145, min_stock: 0.5, cost_price: '8.40', barcodes: ['7891000100103', '96385074'] });
    expect(validateProduct({ ...valid, stock: '2,5' }, true).errors.stock).toMatch(/inteiro/);
    const bad = validateProduct({ ...valid, barcodes: ['7891000100103', '7891000100104', '7891000100103'] }, true);
    expect(bad.errors).toEqual({ 'barcode-1': expect.stringMatching(/dígito verificador/), 'barcode-2': 'Código de barras repetido.' });
  });

  it('puts API errors next to the field they are about', () => {
    expect(fieldOfApiError('Código já cadastrado em outro produto')).toBe('code');
    expect(fieldOfApiError('Categoria não encontrada')).toBe('category_id');
    expect(fieldOfApiError('Preço deve ser um valor positivo')).toBe('price');
    expect(fieldOfApiError('Erro qualquer')).toBeNull();
    const codes = ['7891000100103', '96385074'];
    expect(fieldOfApiError('Código de barras inválido: 96385074 (EAN-8, EAN-13, UPC-A ou GTIN-14, com o dígito verificador)', codes)).toBe('barcode-1');
    expect(fieldOfApiError('Código de barras já cadastrado em outro produto ativo', codes)).toBe('barcodes');
    expect(fieldOfApiError('Preço de custo deve ser um valor de 0 a R$ 10.000.000,00, com até duas casas decimais')).toBe('cost_price');
  });
});

describe('a chosen photo', () => {
  it('is a JPEG, PNG or WebP of at most 10 MB, or is refused before anything is sent', () => {
    for (const type of ['image/jpeg', 'image/png', 'image/webp']) expect(photoProblem({ type, size: 1000 })).toBeNull();
    expect(photoProblem({ type: 'image/png', size: MAX_PHOTO_BYTES })).toBeNull();
    expect(photoProblem({ type: 'application/pdf', size: 10 })).toBe('Escolha uma imagem JPEG, PNG ou WebP.');
    expect(photoProblem({ type: 'image/gif', size: 10 })).toBe('Escolha uma imagem JPEG, PNG ou WebP.');
    expect(photoProblem({ type: 'image/jpeg', size: MAX_PHOTO_BYTES + 1 })).toBe('Foto muito grande: escolha uma imagem de até 10 MB.');
  });
});
