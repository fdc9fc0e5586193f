import { useLayoutEffect, useState } from 'preact/hooks';
import type { Product } from '../../api/types';
import { Alert, Dialog } from '../../components/ui';
import { formatQuantity, fromMilli, isFractional, parseQuantityInput } from '../../lib/quantity';
import { useSetStock } from './api';

/** Counted stock ("definir") or an entry/loss ("ajustar" +N / -N, atomic on the server). */
export function StockDialog({ product, onClose, onSaved }: { product: Product | null; onClose: () => void; onSaved: (p: Product) => void }) {
  const [mode, setMode] = useState<'ajustar' | 'definir'>('ajustar');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stock = useSetStock();

  // Layout effect: reset before anything typed right after opening, not over it.
  useLayoutEffect(() => {
    setMode('ajustar');
    setValue('');
    setError(null);
  }, [product]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!product) return;
    const milli = parseQuantityInput(value, product.unit, { signed: mode === 'ajustar' });
    const ok = milli !== null && (mode === 'definir' ? milli >= 0 : milli !== 0);
    if (!ok) {
      const kind = isFractional(product.unit) ? 'até três casas decimais' : 'inteiro';
      setError(mode === 'definir' ? `Informe o estoque contado (${kind}, zero ou mais).` : `Informe a quantidade a somar (ex.: 10) ou subtrair (ex.: -3), ${kind}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const n = fromMilli(milli);
      const saved = await stock.mutateAsync({ id: product.id, change: mode === 'definir' ? { stock: n } : { adjustment: n } });
      onSaved(saved);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Não foi possível alterar o estoque.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={product !== null} title={`Estoque de ${product?.name ?? ''}`} onClose={onClose}>
      {product && (
        <form onSubmit={submit} noValidate class="space-y-3">
          <p class="text-sm">
            Estoque atual: <strong>{formatQuantity(product.stock, product.unit)}</strong> · mínimo {formatQuantity(product.min_stock, product.unit)}
          </p>
          <fieldset>
            <legend class="label">Operação</legend>
            <div class="flex gap-4 text-sm">
              <label class="flex items-center gap-1.5">
                <input type="radio" name="stock-mode" checked={mode === 'ajustar'} onChange={() => setMode('ajustar')} />
                Entrada / saída (+/−)
              </label>
              <label class="flex items-center gap-1.5">
                <input type="radio" name="stock-mode" checked={mode === 'definir'} onChange={() => setMode('definir')} />
                Definir estoque contado
              </label>
            </div>
          </fieldset>
          <div>
            <label class="label" htmlFor="stock-value">
              {mode === 'ajustar' ? 'Quantidade (ex.: 10 ou -3)' : 'Novo estoque'}
            </label>
            <input id="stock-value" class="input" inputMode={isFractional(product.unit) ? 'decimal' : 'numeric'} autoComplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} autoFocus />
          </div>
          {error && <Alert>{error}</Alert>}
          <div class="flex justify-end gap-2">
            <button type="button" class="btn" onClick={onClose}>
              Cancelar
            </button>
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? 'Salvando…' : 'Salvar estoque'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
