import { useRef } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { Product } from '../../api/types';
import { findByCode, listProducts } from '../products/api';
import { parseEntry } from './cart';
import type { CodeIndex } from './codeIndex';
import type { Notice } from './notice';

export interface ScannerActions {
  index: CodeIndex;
  /** Puts `quantity` of the product in the cart. */
  add: (product: Product, quantity: number) => void;
  /** What the server says now about a product added from the index (null: no longer for sale). */
  refresh: (productId: number, fresh: Product | null) => void;
  notify: (notice: Notice) => void;
  /** Several products match: show the text again so the list shows them. */
  retype: (raw: string) => void;
}

/**
 * Enter in the search box. A barcode scanner is a keyboard that types fast and presses Enter, so
 * entries are handled one at a time and in order, even when the next one arrives before the
 * lookup of the previous one ends. Returns `scan(raw, highlighted, chosen)`, which resolves when
 * that entry is done.
 */
export function useScanner(actions: ScannerActions) {
  const queueRef = useRef<Promise<void>>(Promise.resolve());
  return (raw: string, highlighted?: Product, chosen = false): Promise<void> => {
    queueRef.current = queueRef.current.then(() => lookUp(actions, raw, highlighted, chosen));
    return queueRef.current;
  };
}

/**
 * One entry ("7891000100103", "3*7891000100103" or a name), in this order: the row the operator
 * chose with ↑/↓; the exact code from the index (added at once, then confirmed with the server);
 * the exact code on the server; the highlighted row; a search that finds a single product.
 */
async function lookUp(a: ScannerActions, raw: string, highlighted: Product | undefined, chosen: boolean): Promise<void> {
  const { quantity, term } = parseEntry(raw);
  if (!term) return;
  if (chosen && highlighted) return a.add(highlighted, quantity);
  const known = a.index.get(term);
  if (known) {
    a.add(known, quantity);
    findByCode(term)
      .then((fresh) => {
        if (fresh) a.index.update(fresh);
        a.refresh(known.id, fresh);
      })
      .catch(() => {});
    return;
  }
  try {
    const byCode = await findByCode(term);
    if (byCode) {
      a.index.remember([byCode]);
      return a.add(byCode, quantity);
    }
    if (highlighted) return a.add(highlighted, quantity);
    const page = await listProducts({ search: term, per_page: 20 });
    a.index.remember(page.products);
    if (page.products.length === 1) return a.add(page.products[0]!, quantity);
    if (page.products.length === 0) {
      a.notify({ kind: 'error', text: `Produto não encontrado: “${term}”.` });
    } else {
      a.retype(raw);
      a.notify({ kind: 'info', text: `${page.products.length} produtos encontrados: escolha com ↑ ↓ e Enter.` });
    }
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      a.notify({ kind: 'error', text: e instanceof Error ? e.message : 'Erro ao buscar o produto.' });
    }
  }
}
