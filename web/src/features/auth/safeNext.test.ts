import { describe, expect, it } from 'vitest';
import { safeNext } from './LoginPage';

describe('return address after login', () => {
  it('follows only paths of this site', () => {
    expect(safeNext('/pdv')).toBe('/pdv');
    expect(safeNext('/vendas?x=1')).toBe('/vendas?x=1');
    expect(safeNext('//evil.example')).toBeNull();
    expect(safeNext('https://evil.example')).toBeNull();
    expect(safeNext('/login?next=/pdv')).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});
