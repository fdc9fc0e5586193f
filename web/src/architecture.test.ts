// Rules of the layout that a linter does not check (import directions are in .oxlintrc.json).
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.test.{ts,tsx}', '!./api/generated.ts', '!./test/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the source tree', () => {
  it('has files to check', () => {
    expect(Object.keys(sources)).toContain('./features/pdv/PdvPage.tsx');
  });

  it('declares query keys and invalidations only in the api modules (src/api/keys.ts, features/*/api.ts)', () => {
    const owner = /^\.\/(api\/keys\.ts|features\/[^/]+\/api\.ts)$/;
    const cacheWork = /queryKey\s*:|invalidateQueries|refetchQueries|setQueryData|removeQueries|resetQueries/;
    const offenders = Object.entries(sources).filter(([path, text]) => !owner.test(path) && cacheWork.test(text));
    expect(offenders.map(([path]) => path)).toEqual([]);
  });

  it('keeps payment-method names out of the UI code: the server names them (GET /api/info)', () => {
    const named = /Cartão de (débito|crédito)/;
    expect(Object.entries(sources).filter(([, text]) => named.test(text)).map(([path]) => path)).toEqual([]);
  });
});
