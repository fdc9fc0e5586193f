import type { Ref } from 'preact';
import type { CatalogProduct } from '../../api/types';
import { ProductThumb } from '../../components/ProductThumb';
import { Alert } from '../../components/ui';
import { formatBRL } from '../../lib/money';
import type { CatalogStatus } from './codeIndex';
import type { Notice } from './notice';
import { formatQuantityShort } from '../../lib/quantity';

const LIST_ID = 'pdv-results';

/** The search box (where the scanner types), the catalog's status, the keys, the notice and the results. */
export function SearchPanel(props: {
  inputRef: Ref<HTMLInputElement>;
  entry: string;
  onEntry: (text: string) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  catalog: CatalogStatus;
  notice: Notice;
  results: ResultsProps;
}) {
  const { inputRef, results } = props;
  const { found, active } = results;
  return (
    <section aria-labelledby="pdv-search-title" class="card">
      <h1 id="pdv-search-title" class="page-title mb-3">
        PDV
      </h1>
      <label htmlFor="pdv-search" class="label">
        Código de barras ou nome do produto
      </label>
      <input
        ref={inputRef}
        id="pdv-search"
        class="input py-2 text-base"
        autoComplete="off"
        spellcheck={false}
        role="combobox"
        aria-expanded={found.length > 0}
        aria-controls={LIST_ID}
        aria-activedescendant={found[active] ? `pdv-opt-${found[active].id}` : undefined}
        aria-describedby="pdv-keys"
        placeholder="Leia o código ou digite (ex.: 3*7891000 para 3 unidades)"
        value={props.entry}
        onInput={(e) => props.onEntry(e.currentTarget.value)}
        onKeyDown={props.onKeyDown}
      />
      <p class="mt-1 text-xs text-slate-600" data-testid="catalog-status">
        {catalogText(props.catalog)}
      </p>
      <p id="pdv-keys" class="mt-2 text-xs text-slate-700">
        <kbd class="kbd">Enter</kbd> adiciona · <kbd class="kbd">↑</kbd>
        <kbd class="kbd">↓</kbd> escolhe · <kbd class="kbd">+</kbd> <kbd class="kbd">−</kbd> quantidade do último ·{' '}
        <kbd class="kbd">Del</kbd> remove o último · <kbd class="kbd">F4</kbd> desconto no item · <kbd class="kbd">F8</kbd>{' '}
        desconto na venda · <kbd class="kbd">F3</kbd> cliente · <kbd class="kbd">F2</kbd> finaliza · <kbd class="kbd">Esc</kbd> volta à busca
      </p>
      <div class="mt-3" aria-live="polite">
        {props.notice && <Alert kind={props.notice.kind}>{props.notice.text}</Alert>}
      </div>
      <Results {...results} />
    </section>
  );
}

export function catalogText(catalog: CatalogStatus): string {
  if (catalog === null) return 'Carregando catálogo…';
  const copy = catalog.copy ? ' (guardado neste terminal: preços e estoque da última conexão)' : '';
  return `Catálogo local: ${catalog.total} produtos${copy}`;
}

export interface ResultsProps {
  /** the (debounced) text searched; empty: no search */
  term: string;
  found: readonly CatalogProduct[];
  active: number;
  fetching: boolean;
  done: boolean;
  error: Error | null;
  onPick: (product: CatalogProduct) => void;
}

/** The products found, driven by the keyboard from the search box (aria-activedescendant). */
export function Results({ term, found, active, fetching, done, error, onPick }: ResultsProps) {
  return (
    <div class="mt-3">
      {term && fetching && found.length === 0 && <p class="text-sm text-slate-700">Buscando…</p>}
      {term && !fetching && done && found.length === 0 && <p class="text-sm text-slate-700">Nenhum produto encontrado.</p>}
      {error && <Alert>{error.message}</Alert>}
      <div id={LIST_ID} role="listbox" aria-label="Produtos encontrados" class="divide-y divide-slate-200">
        {found.map((p, i) => (
          // The click is for a mouse or a touch screen; the keyboard stays in the search box.
          // oxlint-disable-next-line jsx-a11y/click-events-have-key-events
          <div
            key={p.id}
            id={`pdv-opt-${p.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            aria-disabled={p.stock <= 0}
            class={`flex cursor-pointer items-center justify-between gap-2 px-2 py-2 text-sm ${i === active ? 'bg-blue-100' : 'hover:bg-slate-50'}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(p)}
          >
            <span class="flex items-center gap-2">
              <ProductThumb url={p.thumbnail_url} size={36} />
              <span>
                <span class="font-medium">{p.name}</span>
                {p.code && <span class="ml-2 font-mono text-xs text-slate-600">{p.code}</span>}
              </span>
            </span>
            <span class="whitespace-nowrap text-right">
              <span class="font-semibold tabular-nums">{formatBRL(p.price)}</span>
              <span class={`ml-2 text-xs ${p.stock <= 0 ? 'text-red-800' : 'text-slate-600'}`}>
                {p.stock <= 0 ? 'sem estoque' : `estoque ${formatQuantityShort(p.stock, p.unit)}`}
              </span>
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
