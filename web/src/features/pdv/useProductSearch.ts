import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Product } from '../../api/types';
import { useDebounced } from '../../app/hooks';
import { pdvQueries } from './api';
import { parseEntry } from './cart';
import type { CodeIndex } from './codeIndex';

export const SEARCH_DEBOUNCE_MS = 200;

/**
 * The results for what is typed in the search box (debounced), and the row ↑/↓ highlight.
 * Every product seen is remembered in the index, so scanning it next is answered from memory.
 */
export function useProductSearch(entry: string, index: CodeIndex) {
  const term = useDebounced(parseEntry(entry).term, SEARCH_DEBOUNCE_MS);
  const results = useQuery(pdvQueries.search(term));
  const found = useMemo(() => (term && results.data ? results.data.products : []), [term, results.data]);
  const [active, setActive] = useState(0);
  const [navigated, setNavigated] = useState(false);
  useEffect(() => {
    index.remember(found);
    setActive(0);
    setNavigated(false);
  }, [found, index]);

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
  function candidate(raw: string): { highlighted: Product | undefined; chosen: boolean } {
    const current = parseEntry(raw).term === term;
    return { highlighted: current ? found[active] : undefined, chosen: current && navigated };
  }

  return { term, results, found, active, move, candidate };
}
