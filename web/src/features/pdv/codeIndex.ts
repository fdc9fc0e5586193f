import type { Product } from '../../api/types';

/**
 * Products seen by this PDV, by code, so that scanning a code already seen (in the search
 * results or a previous scan) adds it without waiting for the network. Entries are dropped
 * when their stock may have changed (after a sale).
 */
export class CodeIndex {
  private byCode = new Map<string, Product>();

  remember(products: readonly Product[]): void {
    for (const p of products) if (p.code) this.byCode.set(p.code, p);
  }

  get(code: string): Product | undefined {
    return this.byCode.get(code);
  }

  forget(productIds: readonly number[]): void {
    const ids = new Set(productIds);
    for (const [code, p] of this.byCode) if (ids.has(p.id)) this.byCode.delete(code);
  }

  get size(): number {
    return this.byCode.size;
  }
}
