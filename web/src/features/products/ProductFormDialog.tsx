import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { apiAsset } from '../../api/client';
import type { Category, Product } from '../../api/types';
import { Alert, Dialog } from '../../components/ui';
import { formatBRL } from '../../lib/money';
import { formatQuantity, isFractional, UNIT_LABELS, UNITS } from '../../lib/quantity';
import { IdSelect } from '../../components/IdSelect';
import { chosenStore, useStores } from '../stores/api';
import { PhotoError, type PhotoChange, useSaveProduct } from './api';
import { emptyValues, fieldOfApiError, photoProblem, type ProductErrors, type ProductValues, validateProduct, valuesFrom } from './productForm';
import { StorePrices } from './StorePrices';

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
  const [photo, setPhoto] = useState<PhotoChange>({ kind: 'keep' });
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const save = useSaveProduct();
  // With several stores the opening stock goes to one of them (the first active unless chosen).
  const stores = useStores();
  const activeStores = stores.stores.filter((s) => s.active);
  const [stockStore, setStockStore] = useState<number | null>(null);
  const stockStoreId = stores.several ? chosenStore(activeStores, stockStore)?.id : undefined;

  // The chosen file's preview lives as long as the choice does.
  useEffect(() => {
    if (photo.kind !== 'set') {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(photo.file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

  // Layout effect: the form is reset before anything typed right after opening, not over it.
  useLayoutEffect(() => {
    if (!open) return;
    setValues(product ? valuesFrom(product) : emptyValues());
    setErrors({});
    setApiError(null);
    setPhoto({ kind: 'keep' });
    setPhotoError(null);
  }, [open, product]);

  function choosePhoto(e: { currentTarget: HTMLInputElement }) {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    const problem = photoProblem(file);
    setPhotoError(problem);
    if (!problem) setPhoto({ kind: 'set', file });
  }

  const current = photo.kind === 'set' ? preview : photo.kind === 'remove' ? null : product?.photo_url ? apiAsset(product.photo_url) : null;

  type TextKey = Exclude<keyof ProductValues, 'barcodes' | 'active' | 'unit'>;
  const set = (k: TextKey) => (e: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.currentTarget.value }));
  const setBarcode = (i: number, value: string) =>
    setValues((v) => ({ ...v, barcodes: v.barcodes.map((b, j) => (j === i ? value : b)) }));
  const fractional = isFractional(values.unit);

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
      const input = creating && stockStoreId !== undefined ? { ...r.input, store_id: stockStoreId } : r.input;
      const saved = await save.mutateAsync({ id: creating ? null : product.id, input, photo });
      onSaved(saved, creating);
    } catch (err) {
      if (err instanceof PhotoError) {
        // The product is saved: what remains is its photo.
        setPhotoError(err.message);
        return;
      }
      const message = err instanceof Error ? err.message : 'Não foi possível salvar.';
      const field = fieldOfApiError(message, values.barcodes);
      if (field) {
        setErrors({ [field]: message });
        document.getElementById(`product-${field}`)?.focus();
      } else setApiError(message);
    } finally {
      setBusy(false);
    }
  }

  const field = (k: TextKey, label: string, props: Record<string, unknown> = {}) => (
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
        {field('code', 'Código interno (SKU)', { maxLength: 64, autoComplete: 'off', spellcheck: false })}
        <div>
          <label class="label" htmlFor="product-unit">
            Unidade
          </label>
          <select
            id="product-unit"
            class="input"
            value={values.unit}
            onChange={(e) => setValues((v) => ({ ...v, unit: e.currentTarget.value as ProductValues['unit'] }))}
            aria-invalid={errors.unit ? true : undefined}
            aria-describedby={errors.unit ? 'product-unit-error' : 'product-unit-hint'}
          >
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {UNIT_LABELS[u]}
              </option>
            ))}
          </select>
          {errors.unit ? (
            <p id="product-unit-error" class="field-error">
              {errors.unit}
            </p>
          ) : (
            <p id="product-unit-hint" class="mt-1 text-xs text-slate-600">
              {fractional ? 'Vendido por peso ou medida: quantidades com até três casas (0,350).' : 'Vendido em quantidades inteiras.'}
            </p>
          )}
        </div>
        <fieldset class="sm:col-span-2" aria-describedby={errors.barcodes ? 'product-barcodes-error' : undefined}>
          <legend class="label">Códigos de barras (EAN-8, EAN-13, UPC-A, GTIN-14)</legend>
          <div class="space-y-2">
            {values.barcodes.map((b, i) => {
              const err = errors[`barcode-${i}`];
              return (
                <div key={i}>
                  <div class="flex gap-2">
                    <input
                      id={`product-barcode-${i}`}
                      class="input font-mono"
                      inputMode="numeric"
                      autoComplete="off"
                      spellcheck={false}
                      maxLength={14}
                      aria-label={`Código de barras ${i + 1}`}
                      value={b}
                      onInput={(e) => setBarcode(i, e.currentTarget.value)}
                      onKeyDown={(e) => {
                        // A scanner ends with Enter: keep the form open and go to a new field.
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          if (e.currentTarget.value.trim()) {
                            setValues((v) => ({ ...v, barcodes: [...v.barcodes, ''] }));
                            setTimeout(() => document.getElementById(`product-barcode-${i + 1}`)?.focus(), 0);
                          }
                        }
                      }}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `product-barcode-${i}-error` : undefined}
                    />
                    <button
                      type="button"
                      class="btn btn-sm"
                      aria-label={`Remover código de barras ${i + 1}`}
                      onClick={() => setValues((v) => ({ ...v, barcodes: v.barcodes.length > 1 ? v.barcodes.filter((_, j) => j !== i) : [''] }))}
                    >
                      Remover
                    </button>
                  </div>
                  {err && (
                    <p id={`product-barcode-${i}-error`} class="field-error">
                      {err}
                    </p>
                  )}
                </div>
              );
            })}
          </div>
          <button type="button" class="btn btn-sm mt-2" onClick={() => setValues((v) => ({ ...v, barcodes: [...v.barcodes, ''] }))}>
            + Adicionar código de barras
          </button>
          {errors.barcodes && (
            <p id="product-barcodes-error" class="field-error">
              {errors.barcodes}
            </p>
          )}
        </fieldset>
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
        {field('price', fractional ? `Preço por ${values.unit.toLowerCase()} (R$) *` : 'Preço (R$) *', { inputMode: 'decimal', placeholder: '0,00', autoComplete: 'off' })}
        {field('cost_price', 'Preço de custo (R$)', { inputMode: 'decimal', placeholder: '0,00', autoComplete: 'off' })}
        {!creating && (
          <div>
            <span class="label">Custo médio</span>
            <p class="py-1.5 text-sm" data-testid="average-cost">
              {product.average_cost === null ? '— (sem entradas com custo)' : formatBRL(product.average_cost)}{' '}
              <span class="text-xs text-slate-600">(calculado pelas entradas de mercadoria)</span>
            </p>
          </div>
        )}
        {creating && stockStoreId !== undefined && (
          <IdSelect id="product-stock-store" label="Loja do estoque inicial" options={activeStores} value={String(stockStoreId)} onChange={(v) => setStockStore(Number(v))} />
        )}
        {creating
          ? field('stock', `Estoque inicial (${values.unit})`, { inputMode: fractional ? 'decimal' : 'numeric', autoComplete: 'off' })
          : (
            <div>
              <span class="label">Estoque</span>
              <p class="py-1.5 text-sm">{formatQuantity(product.stock, product.unit)} (use “Estoque” na lista para ajustar)</p>
            </div>
          )}
        {field('min_stock', `Estoque mínimo (${values.unit})`, { inputMode: fractional ? 'decimal' : 'numeric', autoComplete: 'off' })}
        {!creating && <StorePrices product={product} />}
        <label class="flex items-center gap-2 text-sm sm:col-span-2">
          <input
            id="product-active"
            type="checkbox"
            checked={values.active}
            onChange={(e) => setValues((v) => ({ ...v, active: e.currentTarget.checked }))}
          />
          Ativo (à venda no PDV). Um produto inativo fica no cadastro, mas não é vendido.
        </label>
        <div class="sm:col-span-2">
          <label class="label" htmlFor="product-description">
            Descrição
          </label>
          <textarea id="product-description" class="input" rows={2} value={values.description} onInput={set('description')} />
        </div>
        <div class="sm:col-span-2">
          <span class="label" id="product-photo-label">
            Foto
          </span>
          <div class="flex items-center gap-3">
            {current ? (
              <img
                src={current}
                alt="Foto do produto"
                data-testid="product-photo-preview"
                width={96}
                height={96}
                class="h-24 w-24 rounded border border-slate-200 object-cover"
              />
            ) : (
              <span class="flex h-24 w-24 items-center justify-center rounded border border-dashed border-slate-300 text-xs text-slate-500">
                Sem foto
              </span>
            )}
            <div class="flex flex-col gap-2">
              <label class="btn cursor-pointer" htmlFor="product-photo">
                {current ? 'Trocar foto' : 'Escolher foto'}
              </label>
              <input
                id="product-photo"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                class="sr-only"
                aria-labelledby="product-photo-label"
                aria-describedby={photoError ? 'product-photo-error' : undefined}
                onChange={choosePhoto}
              />
              {current && (
                <button type="button" class="btn" onClick={() => setPhoto(product?.photo_url ? { kind: 'remove' } : { kind: 'keep' })}>
                  Remover foto
                </button>
              )}
            </div>
          </div>
          <p class="mt-1 text-xs text-slate-600">JPEG, PNG ou WebP até 10 MB; o sistema reduz a imagem.</p>
          {photoError && (
            <p id="product-photo-error" class="field-error">
              {photoError}
            </p>
          )}
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
