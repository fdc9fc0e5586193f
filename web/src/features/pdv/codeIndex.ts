import { useEffect, useState } from 'preact/hooks';
import { serverReachable, subscribeReachable } from '../../api/connectivity';
import { readCopy, saveCopy } from '../../api/offlineCopy';
import type { Catalog, CatalogProduct } from '../../api/types';
import { getCatalog } from './api';
import { waitingSales } from './offline/outbox';

/** What the index keeps of a product: the catalog's fields (a full `Product` has them too) and,
 * when it came from elsewhere, whether it is active. */
export type Indexed = CatalogProduct & { active?: boolean };

/**
 * The catalog by code, kept in memory by the PDV so that a scan is answered without waiting
 * for the network. The PDV loads it in one request when it opens (GET /api/products/catalog)
 * and adds whatever it sees later; a code not found here is looked up on the server. The
 * catalog is also kept on the terminal, so that the PDV sells offline with what it saw last.
 */
/** The server's search key (domain::text::search_key): lower case, no accents, one space
 * between words, no control characters. */
export function searchKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
}

export class CodeIndex {
  /** internal code and every barcode -> product id */
  private byCode = new Map<string, number>();
  /** every active product, in the catalog's order (by name); later arrivals at the end */
  private byId = new Map<number, Indexed>();
  /** id -> the search key of its name and code */
  private keys = new Map<number, string>();
  private copyLoaded: Promise<void> = Promise.resolve();

  /** Resolves once the terminal's copy of the catalog is in the index (or there is none, or it
   * could not be read). A scan right after the PDV opens waits for it: without it the code
   * would be asked of a server that may be down, and the sale lost for a moment's race. */
  get ready(): Promise<void> {
    return this.copyLoaded;
  }

  loadingCopy(copy: Promise<unknown>): void {
    this.copyLoaded = copy.then(
      () => {},
      () => {},
    );
  }

  private codesOf(p: Indexed): string[] {
    return [...(p.code ? [p.code] : []), ...(p.barcodes ?? [])];
  }

  remember(products: readonly Indexed[]): void {
    for (const p of products) this.update(p);
  }

  /** The whole catalog again: what is not in it is forgotten. */
  reset(products: readonly Indexed[]): void {
    this.byCode.clear();
    this.byId.clear();
    this.keys.clear();
    this.remember(products);
  }

  get(code: string): Indexed | undefined {
    const id = this.byCode.get(code);
    return id === undefined ? undefined : this.byId.get(id);
  }

  product(id: number): Indexed | undefined {
    return this.byId.get(id);
  }

  /** What we now know of a product (a sale, an edit): its codes and stock. Inactive products
   * are forgotten (they are not sold). */
  update(product: Indexed): void {
    const old = this.byId.get(product.id);
    if (old) for (const c of this.codesOf(old)) if (this.byCode.get(c) === product.id) this.byCode.delete(c);
    if (product.active === false) {
      this.byId.delete(product.id);
      this.keys.delete(product.id);
      return;
    }
    this.byId.set(product.id, product);
    this.keys.set(product.id, searchKey(`${product.name}\n${product.code ?? ''}`));
    for (const c of this.codesOf(product)) this.byCode.set(c, product.id);
  }

  /**
   * What the PDV lists for a typed term, from memory: the product with that exact code or
   * barcode first, then those whose name or code contains it (as the server's search matches),
   * up to `limit`. A term of digits only is a code being typed or scanned: only its exact match.
   */
  search(term: string, limit: number): Indexed[] {
    const exact = this.get(term.trim());
    if (/^\d+$/.test(term.trim())) return exact ? [exact] : [];
    const key = searchKey(term);
    const found = exact ? [exact] : [];
    if (!key) return found;
    for (const [id, productKey] of this.keys) {
      if (found.length >= limit) break;
      if (id !== exact?.id && productKey.includes(key)) found.push(this.byId.get(id)!);
    }
    return found;
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

  /** Products known. */
  get products(): number {
    return this.byId.size;
  }
}

/** The terminal's copy of the catalog it sells from: one per store (their stocks and prices
 * differ). Store 1's is the one kept before there were stores (a one-store shop keeps its copy). */
const copyKey = (storeId: number | undefined) => (storeId === undefined || storeId === 1 ? 'catalogo' : `catalogo.loja${storeId}`);

/** The catalog's products, less what the sales still waiting on this terminal took (the server's
 * stock does not count them yet). */
async function load(index: CodeIndex, products: readonly Indexed[]): Promise<void> {
  const waiting = await waitingSales().catch(() => []);
  index.reset(products);
  index.sold(waiting.flatMap((s) => s.cart.items));
}

/**
 * Loads the whole catalog into the index: first the copy this terminal keeps (at once, and all
 * there is when the server cannot be reached), then the server's, asked with the copy's ETag
 * (nothing comes back when the copy is current). A failure leaves the index with the copy, or
 * to fill as the operator scans (scans then go to the server).
 */
export async function preloadCatalog(
  index: CodeIndex,
  signal: AbortSignal,
  storeId?: number,
  onLoaded?: (status: NonNullable<CatalogStatus>) => void,
): Promise<void> {
  const copyLoaded = readCopy<Catalog>(copyKey(storeId)).then(async (copy) => {
    if (copy && !signal.aborted) {
      await load(index, copy.value.products);
      onLoaded?.({ total: index.products, copy: true });
    }
    return copy;
  });
  index.loadingCopy(copyLoaded);
  const copy = await copyLoaded;
  if (signal.aborted) return;
  const fresh = await getCatalog(copy?.etag, storeId, signal);
  if (signal.aborted) return;
  if (fresh) {
    await load(index, fresh.catalog.products);
    await saveCopy(copyKey(storeId), fresh.catalog, fresh.etag ?? undefined);
  }
  onLoaded?.({ total: index.products, copy: false });
}

/** The products loaded into the index (`copy`: from this terminal's copy, the server not asked
 * yet or not answering); null while the catalog is on its way. */
export type CatalogStatus = { total: number; copy: boolean } | null;

/** The PDV's index of the catalog of `storeId` (the one it sells in), loaded in the background
 * once `known` (the PDV knows where it sells) and while the page is open, again whenever the
 * server answers after it could not be reached, and anew for another store. */
export function useCatalog(storeId: number | undefined, known: boolean): { index: CodeIndex; status: CatalogStatus } {
  const [index] = useState(() => new CodeIndex());
  const [status, setStatus] = useState<CatalogStatus>(null);
  useEffect(() => {
    if (!known) {
      // Scans wait for the catalog of the right store, not the totals of the chain: once the
      // store is known, for the copy loaded next.
      let onKnown: (() => void) | undefined;
      index.loadingCopy(new Promise<void>((resolve) => (onKnown = () => resolve(Promise.resolve().then(() => index.ready)))));
      return () => onKnown?.();
    }
    setStatus(null);
    let abort = new AbortController();
    const preload = () =>
      preloadCatalog(index, abort.signal, storeId, setStatus).catch(() => {
        // Offline or aborted: the copy, or scans asking the server.
      });
    void preload();
    const stop = subscribeReachable(() => {
      if (!serverReachable()) return;
      abort.abort();
      abort = new AbortController();
      void preload();
    });
    return () => {
      stop();
      abort.abort();
    };
  }, [index, storeId, known]);
  return { index, status };
}
