import { useState } from 'preact/hooks';
import type { Product } from '../../api/types';
import { Alert } from '../../components/ui';
import { formatQuantity } from '../../lib/quantity';
import { listProducts, lookupCode } from '../products/api';

/**
 * Chooses a product by name, internal code or barcode (a scanner types the code and Enter):
 * an exact code first (GET /api/products/lookup), then a search; several matches are listed.
 * With `storeId` the stock shown is that store's.
 */
export function ProductPicker({ id, value, onChange, storeId }: { id: string; value: Product | null; onChange: (p: Product | null) => void; storeId?: number | undefined }) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Product[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function find() {
    const term = text.trim();
    if (!term) return;
    setBusy(true);
    setError(null);
    setOptions([]);
    try {
      const found = await lookupCode(term, { quietMissing: true, storeId }).catch(() => null);
      if (found) {
        onChange(found.product);
        setText('');
        return;
      }
      const page = await listProducts({ search: term, per_page: 10, store_id: storeId });
      if (page.products.length === 1) {
        onChange(page.products[0]!);
        setText('');
      } else if (page.products.length === 0) setError(`Nenhum produto encontrado para “${term}”.`);
      else setOptions(page.products);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Não foi possível buscar o produto.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <label class="label" htmlFor={id}>
        Produto (nome, código ou código de barras) *
      </label>
      <input
        id={id}
        class="input"
        autoComplete="off"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void find();
          }
        }}
        aria-describedby={`${id}-chosen`}
      />
      <p id={`${id}-chosen`} class="mt-1 text-sm" aria-live="polite" data-testid={`${id}-chosen`}>
        {busy
          ? 'Buscando…'
          : value
            ? (
              <>
                <strong>{value.name}</strong> · estoque {formatQuantity(value.stock, value.unit)}
                {value.code && <span class="ml-1 font-mono text-xs">({value.code})</span>}
              </>
            )
            : 'Leia o código ou digite e tecle Enter.'}
      </p>
      {error && <Alert>{error}</Alert>}
      {options.length > 0 && (
        <ul class="mt-1 divide-y rounded border" aria-label="Produtos encontrados">
          {options.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                class="w-full px-2 py-1.5 text-left text-sm hover:bg-slate-100"
                onClick={() => {
                  onChange(p);
                  setOptions([]);
                  setText('');
                }}
              >
                {p.name} <span class="text-slate-600">· {formatQuantity(p.stock, p.unit)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
