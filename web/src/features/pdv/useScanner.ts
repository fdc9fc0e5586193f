import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { CatalogProduct, Product } from '../../api/types';
import { isScaleLabel } from '../../lib/quantity';
import { listProducts, lookupCode } from '../products/api';
import { parseEntry, type ScaleLabelLine } from './cart';
import type { CodeIndex } from './codeIndex';
import type { Notice } from './notice';

export interface ScannerActions {
  index: CodeIndex;
  /** the store whose stock and prices the PDV shows (undefined: the shop's only one) */
  storeId: number | undefined;
  /** Puts `quantity` of the product in the cart (with the scale label it came from, if any). */
  add: (product: CatalogProduct, quantity: number, label?: ScaleLabelLine) => void;
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
  // An entry is looked up with what holds when its turn comes (the PDV may have learnt its store).
  const actionsRef = useRef(actions);
  useEffect(() => {
    actionsRef.current = actions;
  });
  return (raw: string, highlighted?: CatalogProduct, chosen = false): Promise<void> => {
    queueRef.current = queueRef.current.then(() => actions.index.ready).then(() => lookUp(actionsRef.current, raw, highlighted, chosen));
    return queueRef.current;
  };
}

/**
 * One entry ("7891000100103", "3*7891000100103", "0,350*123", a scale label or a name), in this
 * order: the row the operator chose with ↑/↓; a scale label (13 digits starting with 2), always
 * read by the server (GET /api/products/lookup) with the shop's mask; the exact code or barcode
 * from the index (added at once, then confirmed with the server); the code on the server; the
 * highlighted row; a search that finds a single product.
 */
async function lookUp(a: ScannerActions, raw: string, highlighted: CatalogProduct | undefined, chosen: boolean): Promise<void> {
  const { quantity, term } = parseEntry(raw);
  if (!term) return;
  if (chosen && highlighted) return a.add(highlighted, quantity);
  try {
    if (isScaleLabel(term) && !a.index.get(term)) {
      const found = await lookupCode(term, { storeId: a.storeId });
      if (!found) return;
      a.index.remember([found.product]);
      if (found.source === 'balanca' && found.quantity !== null) {
        const amount = found.amount === null ? null : Math.round(found.amount * 100);
        return a.add(found.product, found.quantity, { code: term, quantity: found.quantity, amount_cents: amount });
      }
      return a.add(found.product, quantity);
    }
    const known = a.index.get(term);
    if (known) {
      a.add(known, quantity);
      lookupCode(term, { quietMissing: true, storeId: a.storeId })
        .then((fresh) => {
          if (fresh) a.index.update(fresh.product);
          else a.index.forget(term);
          a.refresh(known.id, fresh?.product ?? null);
        })
        .catch(() => {});
      return;
    }
    const byCode = await lookupCode(term, { quietMissing: true, storeId: a.storeId });
    if (byCode) {
      a.index.remember([byCode.product]);
      return a.add(byCode.product, quantity);
    }
    if (highlighted) return a.add(highlighted, quantity);
    const page = await listProducts({ search: term, per_page: 20, active: true, store_id: a.storeId });
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

