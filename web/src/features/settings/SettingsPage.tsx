// /configuracoes (administrators) — the shop's settings. Only what changed is sent (PUT is
// partial); the server checks each field and its Portuguese message is shown next to the
// field it is about. Below the form, the stores and their terminals (StoresSection.tsx).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { Settings, SettingsChanges } from '../../api/types';
import { useTitle } from '../../app/hooks';
import { Alert, Loading } from '../../components/ui';
import { settingsQuery, useSaveSettings } from './api';
import { StoresSection } from './StoresSection';

type TextField = 'shop_name' | 'shop_cnpj' | 'shop_address' | 'shop_phone' | 'pix_key' | 'pix_merchant_name' | 'pix_merchant_city' | 'printer_address';
type Field =
  | TextField
  | 'scale_label_mask'
  | 'scale_label_value'
  | 'max_discount_percent'
  | 'offline_sale_max_hours'
  | 'require_cash_session'
  | 'auto_print'
  | 'printer_columns'
  | 'open_drawer';

interface Form {
  text: Record<TextField, string>;
  max_discount_percent: string;
  offline_sale_max_hours: string;
  require_cash_session: boolean;
  auto_print: boolean;
  printer_columns: 48 | 32;
  open_drawer: boolean;
  scale_label_mask: string;
  scale_label_value: 'peso' | 'preco';
}

const TEXT_FIELDS: TextField[] = ['shop_name', 'shop_cnpj', 'shop_address', 'shop_phone', 'pix_key', 'pix_merchant_name', 'pix_merchant_city', 'printer_address'];

export function toForm(s: Settings): Form {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, s[f] ?? ''])) as Record<TextField, string>;
  return {
    text,
    max_discount_percent: String(s.max_discount_percent ?? 0).replace('.', ','),
    offline_sale_max_hours: String(s.offline_sale_max_hours ?? 72),
    require_cash_session: s.require_cash_session,
    auto_print: s.auto_print,
    printer_columns: s.printer_columns === 32 ? 32 : 48,
    open_drawer: s.open_drawer,
    scale_label_mask: s.scale_label_mask ?? '2CCCCCXVVVVVD',
    scale_label_value: s.scale_label_value === 'preco' ? 'preco' : 'peso',
  };
}

/** The fields that differ from what the server has; empty text clears (null). */
export function changes(saved: Settings, form: Form): SettingsChanges {
  const out: Record<string, unknown> = {};
  for (const f of TEXT_FIELDS) {
    const v = form.text[f].trim();
    if (v !== (saved[f] ?? '')) out[f] = v === '' ? null : v;
  }
  const pct = form.max_discount_percent.trim().replace(',', '.');
  if (pct !== String(saved.max_discount_percent)) out.max_discount_percent = pct;
  // A whole number goes as one; anything else as typed, for the server to refuse with its message.
  const hours = form.offline_sale_max_hours.trim();
  if (!/^\d+$/.test(hours)) out.offline_sale_max_hours = hours;
  else if (Number(hours) !== saved.offline_sale_max_hours) out.offline_sale_max_hours = Number(hours);
  const mask = form.scale_label_mask.trim().toUpperCase();
  if (mask !== saved.scale_label_mask) out.scale_label_mask = mask;
  if (form.scale_label_value !== saved.scale_label_value) out.scale_label_value = form.scale_label_value;
  for (const f of ['require_cash_session', 'auto_print', 'open_drawer', 'printer_columns'] as const) {
    if (form[f] !== saved[f]) out[f] = form[f];
  }
  return out as SettingsChanges;
}

/** Words of the server's messages that say which field they are about (the field's name, or how people call it). */
const FIELD_WORDS: [Field, RegExp][] = [
  ['scale_label_mask', /scale_label_mask|máscara/i],
  ['scale_label_value', /scale_label_value|etiqueta/i],
  ['shop_cnpj', /shop_cnpj|cnpj/i],
  ['pix_merchant_name', /pix_merchant_name|nome do recebedor|nome do comerciante/i],
  ['pix_merchant_city', /pix_merchant_city|cidade/i],
  ['pix_key', /pix_key|chave/i],
  ['max_discount_percent', /max_discount_percent|desconto/i],
  ['offline_sale_max_hours', /offline_sale_max_hours|sem conexão/i],
  ['printer_columns', /printer_columns|colunas/i],
  ['printer_address', /printer_address|impressora|endereço da impressora/i],
  ['shop_phone', /shop_phone|telefone/i],
  ['shop_address', /shop_address|endereço/i],
  ['shop_name', /shop_name|nome da loja/i],
];

/** Which field a refusal is about, if it says. */
export function fieldOf(message: string, body: Record<string, unknown> = {}): Field | null {
  const named = body.field;
  if (typeof named === 'string' && (FIELD_WORDS.some(([f]) => f === named))) return named as Field;
  return FIELD_WORDS.find(([, re]) => re.test(message))?.[0] ?? null;
}

const LABELS: Record<TextField, string> = {
  shop_name: 'Nome da loja',
  shop_cnpj: 'CNPJ',
  shop_address: 'Endereço',
  shop_phone: 'Telefone',
  pix_key: 'Chave Pix',
  pix_merchant_name: 'Nome do recebedor (como no banco)',
  pix_merchant_city: 'Cidade do recebedor',
  printer_address: 'Endereço da impressora (IP:porta)',
};

const HINTS: Partial<Record<TextField, string>> = {
  shop_cnpj: 'Com ou sem pontuação; aceita o CNPJ alfanumérico.',
  pix_key: 'CPF, CNPJ, e-mail, telefone (+55…) ou chave aleatória.',
  printer_address: 'Impressora térmica de rede (ESC/POS), por exemplo 192.168.0.50:9100. Vazio: imprime pelo navegador.',
};

export default function SettingsPage() {
  useTitle('Configurações');
  const saved = useQuery(settingsQuery);
  if (saved.isPending) return <Loading />;
  if (saved.isError) return <Alert>{saved.error.message}</Alert>;
  return (
    <div class="max-w-3xl space-y-4">
      <h1 class="page-title">Configurações</h1>
      <SettingsForm saved={saved.data} />
      <StoresSection />
    </div>
  );
}

function SettingsForm({ saved }: { saved: Settings }) {
  const save = useSaveSettings();
  const [base, setBase] = useState(saved);
  const [form, setForm] = useState<Form>(() => toForm(saved));
  const [result, setResult] = useState<{ kind: 'error' | 'success' | 'info'; text: string; field: Field | null } | null>(null);

  const text = (f: TextField) => form.text[f];
  const setText = (f: TextField, v: string) => setForm({ ...form, text: { ...form.text, [f]: v } });
  const fieldError = (f: Field) => (result?.kind === 'error' && result.field === f ? result.text : null);

  async function submit(e: Event) {
    e.preventDefault();
    const body = changes(base, form);
    if (Object.keys(body).length === 0) {
      setResult({ kind: 'info', text: 'Nada mudou.', field: null });
      return;
    }
    try {
      const next = await save.mutateAsync(body);
      setBase(next);
      setForm(toForm(next));
      setResult({ kind: 'success', text: 'Configurações salvas.', field: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : 'Não foi possível salvar.';
      const extra = (err as { body?: Record<string, unknown> }).body ?? {};
      setResult({ kind: 'error', text: message, field: fieldOf(message, extra) });
    }
  }

  function textInput(f: TextField) {
    const error = fieldError(f);
    return (
      <div key={f}>
        <label class="label" htmlFor={`set-${f}`}>
          {LABELS[f]}
        </label>
        <input
          id={`set-${f}`}
          class="input"
          value={text(f)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `set-${f}-error` : HINTS[f] ? `set-${f}-hint` : undefined}
          onInput={(e) => setText(f, e.currentTarget.value)}
        />
        {HINTS[f] && !error && (
          <p id={`set-${f}-hint`} class="mt-1 text-xs text-slate-600">
            {HINTS[f]}
          </p>
        )}
        {error && (
          <p id={`set-${f}-error`} class="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  }

  const check = (f: 'require_cash_session' | 'auto_print' | 'open_drawer', label: string, hint: string) => (
    <label class="flex items-start gap-2 text-sm">
      <input type="checkbox" class="mt-1" checked={form[f]} onChange={(e) => setForm({ ...form, [f]: e.currentTarget.checked })} />
      <span>
        <span class="font-medium">{label}</span>
        <span class="block text-xs text-slate-600">{hint}</span>
        {fieldError(f) && <span class="field-error block">{fieldError(f)}</span>}
      </span>
    </label>
  );

  const discountError = fieldError('max_discount_percent');
  const columnsError = fieldError('printer_columns');
  const offlineError = fieldError('offline_sale_max_hours');
  return (
    <form onSubmit={submit} class="space-y-4" noValidate>
      <section class="card grid gap-3 sm:grid-cols-2" aria-labelledby="set-shop">
        <h2 id="set-shop" class="text-lg font-bold sm:col-span-2">
          Loja (aparece no recibo)
        </h2>
        {textInput('shop_name')}
        {textInput('shop_cnpj')}
        {textInput('shop_address')}
        {textInput('shop_phone')}
      </section>
      <section class="card grid gap-3 sm:grid-cols-2" aria-labelledby="set-pix">
        <h2 id="set-pix" class="text-lg font-bold sm:col-span-2">
          Pix
        </h2>
        {textInput('pix_key')}
        {textInput('pix_merchant_name')}
        {textInput('pix_merchant_city')}
      </section>
      <section class="card grid gap-3" aria-labelledby="set-sales">
        <h2 id="set-sales" class="text-lg font-bold">
          Vendas e caixa
        </h2>
        <div class="max-w-xs">
          <label class="label" htmlFor="set-max-discount">
            Desconto máximo de funcionários (%)
          </label>
          <input
            id="set-max-discount"
            class="input"
            inputMode="decimal"
            value={form.max_discount_percent}
            aria-invalid={discountError ? true : undefined}
            aria-describedby="set-max-discount-hint"
            onInput={(e) => setForm({ ...form, max_discount_percent: e.currentTarget.value })}
          />
          <p id="set-max-discount-hint" class={discountError ? 'field-error' : 'mt-1 text-xs text-slate-600'} role={discountError ? 'alert' : undefined}>
            {discountError ?? 'Acima disso, um administrador aprova no PDV com o nome e a senha.'}
          </p>
        </div>
        <div class="max-w-xs">
          <label class="label" htmlFor="set-offline-hours">
            Vendas sem conexão aceitas por até (horas)
          </label>
          <input
            id="set-offline-hours"
            class="input"
            inputMode="numeric"
            value={form.offline_sale_max_hours}
            aria-invalid={offlineError ? true : undefined}
            aria-describedby="set-offline-hours-hint"
            onInput={(e) => setForm({ ...form, offline_sale_max_hours: e.currentTarget.value })}
          />
          <p id="set-offline-hours-hint" class={offlineError ? 'field-error' : 'mt-1 text-xs text-slate-600'} role={offlineError ? 'alert' : undefined}>
            {offlineError ?? 'Uma venda feita no PDV sem conexão com o servidor é enviada quando ele volta; depois desse prazo o servidor a recusa.'}
          </p>
        </div>
        {check('require_cash_session', 'Exigir caixa aberto para vender', 'O PDV só vende com o caixa do operador aberto.')}
      </section>
      <section class="card grid gap-3 sm:grid-cols-2" aria-labelledby="set-scale">
        <h2 id="set-scale" class="text-lg font-bold sm:col-span-2">
          Etiquetas da balança
        </h2>
        <div>
          <label class="label" htmlFor="set-scale-mask">
            Máscara da etiqueta
          </label>
          <input
            id="set-scale-mask"
            class="input font-mono uppercase"
            maxLength={13}
            spellcheck={false}
            autoComplete="off"
            value={form.scale_label_mask}
            aria-invalid={fieldError('scale_label_mask') ? true : undefined}
            aria-describedby="set-scale-mask-hint"
            onInput={(e) => setForm({ ...form, scale_label_mask: e.currentTarget.value })}
          />
          <p id="set-scale-mask-hint" class={fieldError('scale_label_mask') ? 'field-error' : 'mt-1 text-xs text-slate-600'} role={fieldError('scale_label_mask') ? 'alert' : undefined}>
            {fieldError('scale_label_mask') ??
              '13 caracteres, como a balança imprime o EAN-13: começa por 2; C = código do produto (o código interno cadastrado), V = valor, X = ignorado, dígitos fixos, e D (dígito verificador) no fim. Padrão: 2CCCCCXVVVVVD.'}
          </p>
        </div>
        <fieldset>
          <legend class="label">O valor da etiqueta é</legend>
          <div class="space-y-1 text-sm">
            <label class="flex items-center gap-2">
              <input type="radio" name="scale-value" checked={form.scale_label_value === 'peso'} onChange={() => setForm({ ...form, scale_label_value: 'peso' })} />
              Peso (em gramas; o PDV cobra peso × preço do quilo)
            </label>
            <label class="flex items-center gap-2">
              <input type="radio" name="scale-value" checked={form.scale_label_value === 'preco'} onChange={() => setForm({ ...form, scale_label_value: 'preco' })} />
              Preço (em centavos; o PDV cobra o valor da etiqueta)
            </label>
          </div>
          {fieldError('scale_label_value') && <p class="field-error">{fieldError('scale_label_value')}</p>}
        </fieldset>
      </section>
      <section class="card grid gap-3 sm:grid-cols-2" aria-labelledby="set-print">
        <h2 id="set-print" class="text-lg font-bold sm:col-span-2">
          Impressão
        </h2>
        {textInput('printer_address')}
        <div>
          <label class="label" htmlFor="set-columns">
            Largura do papel
          </label>
          <select
            id="set-columns"
            class="input"
            value={String(form.printer_columns)}
            aria-invalid={columnsError ? true : undefined}
            onChange={(e) => setForm({ ...form, printer_columns: e.currentTarget.value === '32' ? 32 : 48 })}
          >
            <option value="48">80 mm (48 colunas)</option>
            <option value="32">58 mm (32 colunas)</option>
          </select>
          {columnsError && <p class="field-error">{columnsError}</p>}
        </div>
        <div class="space-y-2 sm:col-span-2">
          {check('auto_print', 'Imprimir o recibo após cada venda', 'Na impressora térmica, se houver; senão, pelo navegador.')}
          {check('open_drawer', 'Abrir a gaveta nas vendas em dinheiro', 'A gaveta ligada à impressora térmica.')}
        </div>
      </section>
      <div aria-live="polite">{result && <Alert kind={result.kind}>{result.text}</Alert>}</div>
      <button type="submit" class="btn btn-primary" disabled={save.isPending}>
        {save.isPending ? 'Salvando…' : 'Salvar configurações'}
      </button>
    </form>
  );
}
