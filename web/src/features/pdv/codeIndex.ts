import { useEffect, useState } from 'preact/hooks';
import type { Product } from '../../api/types';
import { listProducts } from '../products/api';

/**
 * The catalog by code, kept in memory by the PDV so that a scan is answered without waiting
 * for the network. The PDV loads it in the background when it opens (100 products a request)
 * and adds whatever it sees later; a code not found here is looked up on the server.
 */
export class CodeIndex {
  private byCode = new Map<string, Product>();

  remember(products: readonly Product[]): void {
    for (const p of products) if (p.code) this.byCode.set(p.code, p);
  }

  get(code: string): Product | undefined {
    return this.byCode.get(code);
  }

  /** Stock changed (a sale): keep the product but with the stock we now know. */
  update(product: Product): void {
    if (product.code) this.byCode.set(product.code, product);
  }

  /** A sale went through: what it took comes off the stock we know. */
  sold(items: readonly { code: string | null; quantity: number }[]): void {
    for (const { code, quantity } of items) {
      const p = code ? this.byCode.get(code) : undefined;
      if (p) this.update({ ...p, stock: p.stock - quantity });
    }
  }

  get size(): number {
    return this.byCode.size;
  }
}

/**
 * Loads every product page by page into the index. Stops when `signal` aborts; failures only
 * end the preload (scans then go to the server).
 */
export async function preloadCatalog(index: CodeIndex, signal: AbortSignal, onProgress?: (loaded: number, total: number) => void): Promise<void> {
  let page = 1;
  let pages = 1;
  let loaded = 0;
  while (page <= pages && !signal.aborted) {
    const res = await listProducts({ page, per_page: 100 }, signal);
    index.remember(res.products);
    loaded += res.products.length;
    pages = res.pages;
    onProgress?.(loaded, res.total);
    page += 1;
    // Leave the main thread to the person at the till between pages.
    await new Promise((r) => setTimeout(r, 0));
  }
  if (!signal.aborted) onProgress?.(loaded, loaded);
}

/** How far the background load has got; null before the first page arrives. */
export type CatalogStatus = { loaded: number; total: number } | null;

/** The PDV's index, loaded in the background while the page is open. */
export function useCatalog(): { index: CodeIndex; status: CatalogStatus } {
  const [index] = useState(() => new CodeIndex());
  const [status, setStatus] = useState<CatalogStatus>(null);
  useEffect(() => {
    const abort = new AbortController();
    preloadCatalog(index, abort.signal, (loaded, total) => setStatus({ loaded, total })).catch(() => {
      // Offline or aborted: scans fall back to asking the server.
    });
    return () => abort.abort();
  }, [index]);
  return { index, status };
}
