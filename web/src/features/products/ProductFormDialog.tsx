import { useLayoutEffect, useState } from 'preact/hooks';
import type { Category, Product } from '../../api/types';
import { Alert, Dialog } from '../../components/ui';
import { useSaveProduct } from './api';
import { emptyValues, fieldOfApiError, type ProductErrors, type ProductValues, validateProduct, valuesFrom } from './productForm';

export function ProductFormDialog({
  open,
  product,
  categories,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** null: new product */
  product: Product | null;
  categories: Category[];
  onClose: () => void;
  onSaved: (p: Product, created: boolean) => void;
}) {
  const creating = product === null;
  const [values, setValues] = useState<ProductValues>(emptyValues);
  const [errors, setErrors] = useState<ProductErrors>({});
  const [apiError, setApiError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = useSaveProduct();

  // Layout effect: the form is reset before anything typed right after opening, not over it.
  useLayoutEffect(() => {
    if (!open) return;
    setValues(product ? valuesFrom(product) : emptyValues());
    setErrors({});
    setApiError(null);
  }, [open, product]);

  const set = (k: keyof ProductValues) => (e: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.currentTarget.value }));

  async function submit(e: Event) {
    e.preventDefault();
    const r = validateProduct(values, creating);
    setErrors(r.errors);
    setApiError(null);
    if (!r.input) {
      const first = Object.keys(r.errors)[0];
      if (first) document.getElementById(`product-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await save.mutateAsync({ id: creating ? null : product.id, input: r.input });
      onSaved(saved, creating);
    } catch (err) {
      const message = err instanceof Error ? err.message : 'Não foi possível salvar.';
      const field = fieldOfApiError(message);
      if (field) setErrors({ [field]: message });
      else setApiError(message);
    } finally {
      setBusy(false);
    }
  }

  const field = (k: keyof ProductValues, label: string, props: Record<string, unknown> = {}) => (
    <div>
      <label class="label" htmlFor={`product-${k}`}>
        {label}
      </label>
      <input
        id={`product-${k}`}
        class="input"
        value={values[k]}
        onInput={set(k)}
        aria-invalid={errors[k] ? true : undefined}
        aria-describedby={errors[k] ? `product-${k}-error` : undefined}
        {...props}
      />
      {errors[k] && (
        <p id={`product-${k}-error`} class="field-error">
          {errors[k]}
        </p>
      )}
    </div>
  );

  return (
    <Dialog open={open} title={creating ? 'Novo produto' : 'Editar produto'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate class="grid gap-3 sm:grid-cols-2">
        {apiError && (
          <div class="sm:col-span-2">
            <Alert>{apiError}</Alert>
          </div>
        )}
        <div class="sm:col-span-2">{field('name', 'Nome *', { maxLength: 200, autoComplete: 'off' })}</div>
        {field('code', 'Código de barras / SKU', { maxLength: 64, autoComplete: 'off', spellcheck: false })}
        <div>
          <label class="label" htmlFor="product-category_id">
            Categoria *
          </label>
          <select
            id="product-category_id"
            class="input"
            value={values.category_id}
            onChange={set('category_id')}
            aria-invalid={errors.category_id ? true : undefined}
            aria-describedby={errors.category_id ? 'product-category_id-error' : undefined}
          >
            <option value="">Escolha…</option>
            {categories.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.category_id && (
            <p id="product-category_id-error" class="field-error">
              {errors.category_id}
            </p>
          )}
        </div>
        {field('price', 'Preço (R$) *', { inputMode: 'decimal', placeholder: '0,00', autoComplete: 'off' })}
        {creating
          ? field('stock', 'Estoque inicial', { inputMode: 'numeric', autoComplete: 'off' })
          : (
            <div>
              <span class="label">Estoque</span>
              <p class="py-1.5 text-sm">{product.stock} (use “Estoque” na lista para ajustar)</p>
            </div>
          )}
        {field('min_stock', 'Estoque mínimo', { inputMode: 'numeric', autoComplete: 'off' })}
        <div class="sm:col-span-2">
          <label class="label" htmlFor="product-description">
            Descrição
          </label>
          <textarea id="product-description" class="input" rows={2} value={values.description} onInput={set('description')} />
        </div>
        <div class="flex justify-end gap-2 sm:col-span-2">
          <button type="button" class="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Salvando…' : 'Salvar'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
