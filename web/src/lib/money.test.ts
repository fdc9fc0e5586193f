import { describe, expect, it } from 'vitest';
import { centsToApi, centsToInput, formatBRL, formatCents, parseMoneyInput, toCents } from './money';

const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('money', () => {
  it('turns API numbers into exact cents', () => {
    expect(toCents(12.5)).toBe(1250);
    expect(toCents(0.3)).toBe(30);
    expect(toCents(1.15)).toBe(115); // 1.15 * 100 = 114.99999999999999 in floats
    expect(toCents(4.35)).toBe(435); // 434.99999999999994
    expect(toCents('19.99')).toBe(1999);
    expect(() => toCents('abc')).toThrow(/inválido/);
  });

  it('formats BRL as R$ 1.234,56', () => {
    expect(plain(formatCents(123456))).toBe('R$ 1.234,56');
    expect(plain(formatCents(5))).toBe('R$ 0,05');
    expect(plain(formatBRL(0.3))).toBe('R$ 0,30');
    expect(plain(formatBRL(1000000))).toBe('R$ 1.000.000,00');
  });

  it('parses what a person types, in pt-BR or with a dot', () => {
    expect(parseMoneyInput('12,50')).toBe(1250);
    expect(parseMoneyInput('12.5')).toBe(1250);
    expect(parseMoneyInput('1.234,56')).toBe(123456);
    expect(parseMoneyInput('1.234')).toBe(123400);
    expect(parseMoneyInput('R$ 3')).toBe(300);
    expect(parseMoneyInput(' 0,1 ')).toBe(10);
    expect(parseMoneyInput('50')).toBe(5000);
  });

  it('refuses more than two decimals and junk', () => {
    expect(parseMoneyInput('1,234')).toBeNull();
    expect(parseMoneyInput('12.5055')).toBeNull();
    expect(parseMoneyInput('12,505')).toBeNull();
    expect(parseMoneyInput('-3')).toBeNull();
    expect(parseMoneyInput('abc')).toBeNull();
    expect(parseMoneyInput('')).toBeNull();
  });

  it('sends cents to the API as an exact decimal string', () => {
    expect(centsToApi(1250)).toBe('12.50');
    expect(centsToApi(5)).toBe('0.05');
    expect(centsToApi(100000)).toBe('1000.00');
    expect(centsToInput(1999)).toBe('19,99');
  });
});
