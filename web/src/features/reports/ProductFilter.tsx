// The report's product filter: a search by name or code (inactive products too: their sales are
// in the reports), the matches as buttons, and the chosen product with a way to drop it.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useDebounced } from '../../app/hooks';
import { productQueries } from '../products/api';
import { stockQueries } from '../stock/api';

export function ProductFilter({ id, productId, onChange }: { id: string; productId: number | null; onChange: (id: number | null) => void }) {
  const [text, setText] = useState('');
  const term = useDebounced(text.trim(), 250);
  const found = useQuery({ ...productQueries.list({ search: term, per_page: 8 }), enabled: term.length > 0 });
  const chosen = useQuery({ ...stockQueries.product(productId ?? 0), enabled: productId !== null });
  const options = term && text.trim() ? (found.data?.products ?? []) : [];

  return (
    <div class="relative">
      <label class="label" htmlFor={id}>
        Produto
      </label>
      <input
        id={id}
        class="input"
        type="search"
        autoComplete="off"
        placeholder="Todos (busque por nome ou código)"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        aria-describedby={`${id}-chosen`}
      />
      <p id={`${id}-chosen`} class="mt-1 flex items-center gap-2 text-sm" data-testid={`${id}-chosen`}>
        {productId === null ? (
          'Todos os produtos'
        ) : (
          <>
            <strong>{chosen.data?.name ?? `Produto nº ${productId}`}</strong>
            <button type="button" class="btn btn-sm" onClick={() => onChange(null)} aria-label="Remover o filtro de produto">
              ✕
            </button>
          </>
        )}
      </p>
      {term && found.data && options.length === 0 && <p class="text-sm text-slate-700">Nenhum produto encontrado para “{term}”.</p>}
      {options.length > 0 && (
        <ul class="absolute z-10 mt-1 w-full divide-y rounded border bg-white shadow" aria-label="Produtos encontrados">
          {options.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                class="w-full px-2 py-1.5 text-left text-sm hover:bg-slate-100"
                onClick={() => {
                  onChange(p.id);
                  setText('');
                }}
              >
                {p.name}
                {p.code && <span class="ml-1 font-mono text-xs text-slate-600">({p.code})</span>}
                {!p.active && <span class="ml-1 text-slate-600">· inativo</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
