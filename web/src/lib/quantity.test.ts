import { describe, expect, it } from 'vitest';
import { amountCents, formatQuantity, formatQuantityShort, gs1CheckDigit, isScaleLabel, parseQuantityInput, quantityToInput, validBarcode } from './quantity';

describe('quantities in the product’s unit', () => {
  it('reads what people type, with the decimal comma, up to three decimals in KG, L and M', () => {
    expect(parseQuantityInput('0,350', 'KG')).toBe(350);
    expect(parseQuantityInput('0.355', 'KG')).toBe(355);
    expect(parseQuantityInput('2', 'KG')).toBe(2000);
    expect(parseQuantityInput('1.234,5', 'L')).toBe(1_234_500);
    expect(parseQuantityInput('0,3555', 'KG')).toBeNull();
    expect(parseQuantityInput('abc', 'KG')).toBeNull();
    expect(parseQuantityInput('', 'KG')).toBeNull();
  });

  it('refuses fractions of whole units, and signs unless asked', () => {
    expect(parseQuantityInput('3', 'UN')).toBe(3000);
    expect(parseQuantityInput('3,0', 'CX')).toBe(3000);
    expect(parseQuantityInput('0,5', 'UN')).toBeNull();
    expect(parseQuantityInput('-2', 'UN')).toBeNull();
    expect(parseQuantityInput('-2', 'UN', { signed: true })).toBe(-2000);
    expect(parseQuantityInput('-0,125', 'KG', { signed: true })).toBe(-125);
  });

  it('formats in the unit: three decimals by weight, whole otherwise', () => {
    expect(formatQuantity(2.145, 'KG')).toBe('2,145 kg');
    expect(formatQuantity(0.355, 'KG')).toBe('0,355 kg');
    expect(formatQuantity(1.5, 'L')).toBe('1,500 L');
    expect(formatQuantity(3, 'UN')).toBe('3 un');
    expect(formatQuantity(1200, 'CX')).toBe('1.200 cx');
    expect(quantityToInput(0.35, 'KG')).toBe('0,350');
    expect(quantityToInput(1234.5, 'KG')).toBe('1234,500');
    expect(quantityToInput(3, 'UN')).toBe('3');
    // Receipts and lists keep plain numbers for units, as before units existed.
    expect(formatQuantityShort(2, 'UN')).toBe('2');
    expect(formatQuantityShort(0.355, 'KG')).toBe('0,355 kg');
    expect(formatQuantityShort(2, 'CX')).toBe('2 cx');
  });

  it('prices a fraction of a unit half up to the cent, as the server does', () => {
    // 0,355 kg × R$ 29,90 = R$ 10,6145 -> R$ 10,61; 0,250 × 0,10 = 0,025 -> 0,03
    expect(amountCents(2990, 355)).toBe(1061);
    expect(amountCents(10, 250)).toBe(3);
    expect(amountCents(1499, 3000)).toBe(4497);
    expect(amountCents(1_000_000_000, 1_000_000_000_000)).toBe(1e18);
  });
});

describe('codes', () => {
  it('tells scale labels (EAN-13 starting with 2) from other codes', () => {
    expect(isScaleLabel('2001230003554')).toBe(true);
    expect(isScaleLabel('7891000100103')).toBe(false);
    expect(isScaleLabel('200123000355')).toBe(false);
    expect(isScaleLabel('123')).toBe(false);
  });

  it('checks GS1 check digits', () => {
    expect(gs1CheckDigit('789100010010')).toBe(3);
    expect(validBarcode('7891000100103')).toBe(true);
    expect(validBarcode('7891000100104')).toBe(false);
    expect(validBarcode('96385074')).toBe(true);
    expect(validBarcode('123')).toBe(false);
  });
});
