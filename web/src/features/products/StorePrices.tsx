// A product's price in each store, for a shop with several: empty is the catalog's price; a
// store's own price is saved (or dropped) on its own row, at once.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { Product, Store } from '../../api/types';
import { Alert } from '../../components/ui';
import { centsToApi, centsToInput, formatBRL, parseMoneyInput, toCents } from '../../lib/money';
import { storePricesQuery, useStorePrice, useStores } from '../stores/api';

export function StorePrices({ product }: { product: Product }) {
  const { stores, several } = useStores();
  if (!several) return null;
  return (
    <fieldset class="sm:col-span-2 rounded border border-slate-200 p-2">
      <legend class="px-1 text-sm font-medium">Preço por loja</legend>
      <p class="mb-2 text-xs text-slate-600">Vazio: o preço do catálogo ({formatBRL(product.catalog_price)}).</p>
      <ul class="space-y-2">
        {stores
          .filter((s) => s.active)
          .map((s) => (
            <StorePriceRow key={s.id} store={s} product={product} />
          ))}
      </ul>
    </fieldset>
  );
}

function StorePriceRow({ store, product }: { store: Store; product: Product }) {
  const own = useQuery(storePricesQuery(store.id)).data?.find((p) => p.product_id === product.id);
  const [text, setText] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const save = useStorePrice();
  const shown = text ?? (own ? centsToInput(toCents(own.price)) : '');
  const id = `store-price-${store.id}`;

  async function submit(price: string | null) {
    setDone(null);
    try {
      await save.mutateAsync({ storeId: store.id, productId: product.id, price });
      setText(null);
      setDone(price === null ? 'Volta ao preço do catálogo.' : 'Preço salvo.');
    } catch {
      // shown below
    }
  }

  function onSave() {
    setInvalid(false);
    if (!shown.trim()) {
      if (own) void submit(null);
      return;
    }
    const cents = parseMoneyInput(shown);
    if (cents === null || cents <= 0) setInvalid(true);
    else void submit(centsToApi(cents));
  }

  return (
    <li>
      <div class="flex flex-wrap items-end gap-2">
        <div>
          <label class="label" htmlFor={id}>
            {store.name} (R$)
          </label>
          <input
            id={id}
            class="input w-32"
            inputMode="decimal"
            autoComplete="off"
            placeholder={centsToInput(toCents(product.catalog_price))}
            value={shown}
            aria-invalid={invalid || undefined}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setInvalid(false);
            }}
          />
        </div>
        <button type="button" class="btn" disabled={save.isPending} aria-label={`Salvar preço em ${store.name}`} onClick={onSave}>
          Salvar
        </button>
        {own && (
          <button type="button" class="btn" disabled={save.isPending} onClick={() => void submit(null)}>
            Usar o do catálogo
          </button>
        )}
        {done && <span class="text-sm text-green-800">{done}</span>}
      </div>
      {invalid && <p class="field-error">Preço inválido: maior que zero, até duas casas decimais (ex.: 12,50).</p>}
      {save.isError && <Alert>{save.error.message}</Alert>}
    </li>
  );
}
