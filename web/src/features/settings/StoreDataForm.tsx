// A store's own receipt data, PIX and printer, in "Lojas e terminais" (with two stores or more):
// each field left empty is the shop's (shown as its placeholder). Saved all at once (PUT
// /api/stores/{id}/settings); the refusal is shown under the field it is about.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { Settings, Store, StoreSettings, StoreSettingsBody } from '../../api/types';
import { Alert, Loading } from '../../components/ui';
import { settingsQueries, useSaveStoreSettings } from './api';

type Field = keyof StoreSettingsBody & keyof StoreSettings;

const FIELDS: readonly { field: Field; label: string; subject: string }[] = [
  { field: 'shop_cnpj', label: 'CNPJ', subject: 'CNPJ' },
  { field: 'shop_address', label: 'Endereço', subject: 'Endereço' },
  { field: 'shop_phone', label: 'Telefone', subject: 'Telefone' },
  { field: 'pix_key', label: 'Chave Pix', subject: 'Chave PIX' },
  { field: 'pix_merchant_name', label: 'Nome do recebedor Pix', subject: 'Nome do recebedor' },
  { field: 'pix_merchant_city', label: 'Cidade do recebedor Pix', subject: 'Cidade do recebedor' },
  { field: 'printer_address', label: 'Endereço da impressora (IP:porta)', subject: 'impressora' },
];

const toForm = (s: StoreSettings): Record<Field, string> =>
  Object.fromEntries(FIELDS.map(({ field }) => [field, s[field] ?? ''])) as Record<Field, string>;

/** The field a refusal is about: the server's message names it (the printer's "Endereço da
 * impressora" before the store's "Endereço"). */
const fieldOf = (message: string): Field | null => FIELDS.toReversed().find((f) => message.includes(f.subject))?.field ?? null;

export function StoreDataForm({ store, shop }: { store: Store; shop: Settings | undefined }) {
  const own = useQuery(settingsQueries.own(store.id));
  return (
    <details class="rounded-md bg-slate-50 p-2" data-testid={`store-data-${store.id}`}>
      <summary class="cursor-pointer text-sm font-medium text-slate-800">Dados de {store.name} no recibo, Pix e impressora</summary>
      {own.isPending && <Loading />}
      {own.isError && <Alert>{own.error.message}</Alert>}
      {own.data && <Fields store={store} saved={own.data} shop={shop} />}
    </details>
  );
}

function Fields({ store, saved, shop }: { store: Store; saved: StoreSettings; shop: Settings | undefined }) {
  const save = useSaveStoreSettings();
  const [form, setForm] = useState(() => toForm(saved));
  const [result, setResult] = useState<{ ok: boolean; text: string; field: Field | null } | null>(null);
  const id = (f: Field) => `store-${store.id}-${f}`;

  async function submit(e: Event) {
    e.preventDefault();
    const body = Object.fromEntries(FIELDS.map(({ field }) => [field, form[field].trim() || null])) as StoreSettingsBody;
    try {
      setForm(toForm(await save.mutateAsync({ storeId: store.id, body })));
      setResult({ ok: true, text: `Dados de ${store.name} salvos.`, field: null });
    } catch (err) {
      const text = err instanceof Error ? err.message : 'Não foi possível salvar.';
      setResult({ ok: false, text, field: fieldOf(text) });
    }
  }

  const misplaced = result && !result.ok && result.field === null;
  return (
    <form class="mt-2 space-y-2" onSubmit={submit} noValidate>
      <p class="text-xs text-slate-600">Em branco: o da loja principal (nas configurações acima), mostrado em cinza.</p>
      <div class="grid gap-2 sm:grid-cols-2">
        {FIELDS.map(({ field, label }) => {
          const error = result && !result.ok && result.field === field ? result.text : null;
          return (
            <div key={field}>
              <label class="label" htmlFor={id(field)}>
                {label}
              </label>
              <input
                id={id(field)}
                class="input"
                value={form[field]}
                placeholder={shop?.[field] ?? ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id(field)}-error` : undefined}
                onInput={(e) => setForm({ ...form, [field]: e.currentTarget.value })}
              />
              {error && (
                <p id={`${id(field)}-error`} class="field-error" role="alert">
                  {error}
                </p>
              )}
            </div>
          );
        })}
      </div>
      {misplaced && <Alert>{result.text}</Alert>}
      {result?.ok && (
        <p class="text-sm text-emerald-800" role="status">
          {result.text}
        </p>
      )}
      <button type="submit" class="btn btn-sm" disabled={save.isPending}>
        Salvar dados de {store.name}
      </button>
    </form>
  );
}
