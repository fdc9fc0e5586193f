import { useEffect, useState } from 'preact/hooks';
import type { Product } from '../../api/types';
import { listProducts } from '../products/api';

/**
 * The catalog by code, kept in memory by the PDV so that a scan is answered without waiting
 * for the network. The PDV loads it in the background when it opens (100 products a request)
 * and adds whatever it sees later; a code not found here is looked up on the server.
 */
export class CodeIndex {
  /** internal code and every barcode -> product id */
  private byCode = new Map<string, number>();
  private byId = new Map<number, Product>();

  private codesOf(p: Product): string[] {
    return [...(p.code ? [p.code] : []), ...(p.barcodes ?? [])];
  }

  remember(products: readonly Product[]): void {
    for (const p of products) this.update(p);
  }

  get(code: string): Product | undefined {
    const id = this.byCode.get(code);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** What we now know of a product (a sale, an edit): its codes and stock. Inactive products
   * are forgotten (they are not sold). */
  update(product: Product): void {
    const old = this.byId.get(product.id);
    if (old) for (const c of this.codesOf(old)) if (this.byCode.get(c) === product.id) this.byCode.delete(c);
    if (product.active === false) {
      this.byId.delete(product.id);
      return;
    }
    const codes = this.codesOf(product);
    if (codes.length === 0) {
      this.byId.delete(product.id);
      return;
    }
    this.byId.set(product.id, product);
    for (const c of codes) this.byCode.set(c, product.id);
  }

  /** A product no longer for sale under `code`. */
  forget(code: string): void {
    this.byCode.delete(code);
  }

  /** A sale went through: what it took comes off the stock we know. */
  sold(items: readonly { product_id: number; quantity: number }[]): void {
    for (const { product_id, quantity } of items) {
      const p = this.byId.get(product_id);
      if (p) this.update({ ...p, stock: (Math.round(p.stock * 1000) - Math.round(quantity * 1000)) / 1000 });
    }
  }

  /** Codes known (internal codes and barcodes). */
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
    const res = await listProducts({ page, per_page: 100, active: true }, signal);
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
