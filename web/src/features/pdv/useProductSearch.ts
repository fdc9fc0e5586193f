import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useDebounced } from '../../app/hooks';
import { pdvQueries } from './api';
import { parseEntry } from './cart';
import type { CodeIndex, Indexed } from './codeIndex';

export const SEARCH_DEBOUNCE_MS = 200;
/** Rows listed. */
const LIMIT = 20;

/**
 * The results for what is typed in the search box, and the row ↑/↓ highlight. Once the catalog
 * is loaded, the index answers at once as the operator types; the server's search (debounced)
 * adds what the index does not know yet (a product created since the PDV opened). Every product
 * seen is remembered in the index, so scanning it next is answered from memory.
 */
export function useProductSearch(entry: string, index: CodeIndex, catalogLoaded: boolean, storeId: number | undefined) {
  const typed = parseEntry(entry).term;
  const local = useMemo(() => (typed && catalogLoaded ? index.search(typed, LIMIT) : []), [typed, catalogLoaded, index]);
  const term = useDebounced(typed, SEARCH_DEBOUNCE_MS);
  const results = useQuery(pdvQueries.search(term, storeId));
  const fromServer = useMemo(() => (term && results.data ? results.data.products : []), [term, results.data]);
  const found: readonly Indexed[] = useMemo(() => {
    if (!catalogLoaded) return fromServer;
    const listed = new Set(local.map((p) => p.id));
    const more = term === typed ? fromServer.filter((p) => !listed.has(p.id) && p.active) : [];
    return more.length === 0 ? local : [...local, ...more].slice(0, LIMIT);
  }, [catalogLoaded, local, fromServer, term, typed]);
  const [active, setActive] = useState(0);
  const [navigated, setNavigated] = useState(false);
  useEffect(() => index.remember(fromServer), [fromServer, index]);
  useEffect(() => {
    setActive(0);
    setNavigated(false);
  }, [typed]);

  /** ↑ (-1) or ↓ (+1); false when there is no list to move in. */
  function move(step: 1 | -1): boolean {
    if (found.length === 0) return false;
    setNavigated(true);
    setActive((a) => (step > 0 ? Math.min(a + 1, found.length - 1) : Math.max(a - 1, 0)));
    return true;
  }

  /**
   * The highlighted row, for Enter on `raw`: only when the list belongs to what is typed now (a
   * scanner types faster than the debounce, so the list may still show an older search), and
   * `chosen` when the operator moved to it with ↑/↓.
   */
  function candidate(raw: string): { highlighted: Indexed | undefined; chosen: boolean } {
    const shown = catalogLoaded ? typed : term;
    const current = parseEntry(raw).term === shown;
    return { highlighted: current ? found[active] : undefined, chosen: current && navigated };
  }

  return { term: catalogLoaded ? typed : term, results, found, active, move, candidate };
}
