// Estoque (administrators): goods received (entrada), signed adjustments with a reason, and the
// inventory count, where a barcode scanner counts the items one by one.
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { Link, useSearch } from 'wouter';
import { ApiError } from '../../api/client';
import type { Product } from '../../api/types';
import { useTitle } from '../../app/hooks';
import { IdSelect } from '../../components/IdSelect';
import { Alert } from '../../components/ui';
import { centsToApi, formatBRL, parseMoneyInput } from '../../lib/money';
import { formatQuantity, fromMilli, isFractional, parseQuantityInput, quantityToInput } from '../../lib/quantity';
import { lookupCode } from '../products/api';
import { chosenStore, useStores } from '../stores/api';
import { type AdjustmentInput, type EntryInput, postAdjustment, postCount, postEntry, useStockCommand } from './api';
import { countReducer, difference, emptyCount, parseCountEntry, toSend } from './count';
import { ProductPicker } from './ProductPicker';

type Tab = 'entrada' | 'ajuste' | 'contagem';
const TABS: [Tab, string][] = [
  ['entrada', 'Entrada de mercadoria'],
  ['ajuste', 'Ajuste'],
  ['contagem', 'Contagem (inventário)'],
];

export default function StockPage() {
  useTitle('Estoque');
  const initial = new URLSearchParams(useSearch()).get('aba');
  const [tab, setTab] = useState<Tab>(initial === 'ajuste' || initial === 'contagem' ? initial : 'entrada');
  const stores = useStores();
  const active = stores.stores.filter((s) => s.active);
  const [picked, setPicked] = useState<number | null>(null);
  // One store: nothing shown, no store_id sent (the server takes it).
  const storeId = stores.several ? chosenStore(active, picked)?.id : undefined;
  const [counting, setCounting] = useState(false);
  return (
    <div class="space-y-3">
      <h1 class="page-title">Estoque</h1>
      {stores.several && (
        <div class="max-w-xs">
          <IdSelect
            id="stock-store"
            label="Loja"
            options={active}
            value={String(storeId ?? '')}
            onChange={(v) => setPicked(Number(v))}
            disabled={counting}
            hint={counting ? 'Confirme ou limpe a contagem para trocar de loja.' : undefined}
          />
        </div>
      )}
      <div role="tablist" aria-label="Operações de estoque" class="flex flex-wrap gap-1">
        {TABS.map(([t, label]) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            class={`btn ${tab === t ? 'btn-primary' : ''}`}
            onClick={() => setTab(t)}
          >
            {label}
          </button>
        ))}
      </div>
      {/* Another store starts the forms over: a product shown was read with the other store's stock. */}
      <div key={storeId} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'entrada' && <EntryForm storeId={storeId} />}
        {tab === 'ajuste' && <AdjustmentForm storeId={storeId} />}
        {tab === 'contagem' && <CountScreen storeId={storeId} onCounting={setCounting} />}
      </div>
    </div>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string | undefined; children: preact.ComponentChildren }) {
  return (
    <div>
      <label class="label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

const message = (e: unknown, fallback: string) => (e instanceof Error ? e.message : fallback);

/** `storeId` only with several stores: where the stock moves, and whose stock is shown. */
type StoreProps = { storeId: number | undefined };

function EntryForm({ storeId }: StoreProps) {
  const [product, setProduct] = useState<Product | null>(null);
  const [quantity, setQuantity] = useState('');
  const [cost, setCost] = useState('');
  const [supplier, setSupplier] = useState('');
  const [invoice, setInvoice] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const entry = useStockCommand<EntryInput>(postEntry);

  async function submit(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!product) errs.product = 'Escolha o produto.';
    const milli = parseQuantityInput(quantity, product?.unit);
    if (milli === null || milli <= 0) errs.quantity = isFractional(product?.unit) ? 'Quantidade maior que zero, até três casas decimais.' : 'Quantidade inteira maior que zero.';
    const cents = parseMoneyInput(cost);
    if (cents === null) errs.cost = 'Custo unitário inválido (ex.: 8,40).';
    setErrors(errs);
    setResult(null);
    if (Object.keys(errs).length > 0 || !product) return;
    try {
      const body: EntryInput = { product_id: product.id, store_id: storeId, quantity: fromMilli(milli!), unit_cost: centsToApi(cents!) };
      if (supplier.trim()) body.supplier = supplier.trim();
      if (invoice.trim()) body.invoice = invoice.trim();
      const r = await entry.mutateAsync(body);
      setProduct(r.product);
      setQuantity('');
      setCost('');
      setResult({
        kind: 'success',
        text: `Entrada registrada: ${r.product.name} agora tem ${formatQuantity(r.product.stock, r.product.unit)}; custo médio ${r.product.average_cost === null ? '—' : formatBRL(r.product.average_cost)}.`,
      });
    } catch (err) {
      setResult({ kind: 'error', text: message(err, 'Não foi possível registrar a entrada.') });
    }
  }

  return (
    <form class="card grid max-w-2xl gap-3 sm:grid-cols-2" onSubmit={submit} noValidate aria-label="Entrada de mercadoria">
      <div class="sm:col-span-2">
        <ProductPicker id="entry-product" value={product} onChange={setProduct} storeId={storeId} />
        {errors.product && <p class="field-error">{errors.product}</p>}
      </div>
      <Field id="entry-quantity" label={`Quantidade${product ? ` (${product.unit})` : ''} *`} error={errors.quantity}>
        <input id="entry-quantity" class="input" inputMode="decimal" autoComplete="off" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} aria-invalid={errors.quantity ? true : undefined} />
      </Field>
      <Field id="entry-cost" label="Custo unitário (R$) *" error={errors.cost}>
        <input id="entry-cost" class="input" inputMode="decimal" autoComplete="off" placeholder="0,00" value={cost} onInput={(e) => setCost(e.currentTarget.value)} aria-invalid={errors.cost ? true : undefined} />
      </Field>
      <Field id="entry-supplier" label="Fornecedor">
        <input id="entry-supplier" class="input" maxLength={200} value={supplier} onInput={(e) => setSupplier(e.currentTarget.value)} />
      </Field>
      <Field id="entry-invoice" label="Nota fiscal">
        <input id="entry-invoice" class="input" maxLength={200} value={invoice} onInput={(e) => setInvoice(e.currentTarget.value)} />
      </Field>
      {result && (
        <div class="sm:col-span-2">
          <Alert kind={result.kind}>{result.text}</Alert>
        </div>
      )}
      <div class="flex justify-end gap-2 sm:col-span-2">
        {product && (
          <Link href={`/produtos/${product.id}/movimentos`} class="btn">
            Histórico do produto
          </Link>
        )}
        <button type="submit" class="btn btn-primary" disabled={entry.isPending}>
          {entry.isPending ? 'Registrando…' : 'Registrar entrada'}
        </button>
      </div>
    </form>
  );
}

function AdjustmentForm({ storeId }: StoreProps) {
  const [product, setProduct] = useState<Product | null>(null);
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const adjust = useStockCommand<AdjustmentInput>(postAdjustment);

  async function submit(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!product) errs.product = 'Escolha o produto.';
    const milli = parseQuantityInput(quantity, product?.unit, { signed: true });
    if (milli === null || milli === 0) errs.quantity = 'Informe quanto somar (ex.: 10) ou subtrair (ex.: -3), diferente de zero.';
    if (!reason.trim()) errs.reason = 'Informe o motivo do ajuste.';
    setErrors(errs);
    setResult(null);
    if (Object.keys(errs).length > 0 || !product) return;
    try {
      const r = await adjust.mutateAsync({ product_id: product.id, store_id: storeId, quantity: fromMilli(milli!), reason: reason.trim() });
      setProduct(r.product);
      setQuantity('');
      setReason('');
      setResult({ kind: 'success', text: `Ajuste registrado: ${r.product.name} agora tem ${formatQuantity(r.product.stock, r.product.unit)}.` });
    } catch (err) {
      setResult({ kind: 'error', text: message(err, 'Não foi possível registrar o ajuste.') });
    }
  }

  return (
    <form class="card grid max-w-2xl gap-3 sm:grid-cols-2" onSubmit={submit} noValidate aria-label="Ajuste de estoque">
      <div class="sm:col-span-2">
        <ProductPicker id="adjust-product" value={product} onChange={setProduct} storeId={storeId} />
        {errors.product && <p class="field-error">{errors.product}</p>}
      </div>
      <Field id="adjust-quantity" label="Quantidade (+ entra, − sai) *" error={errors.quantity}>
        <input id="adjust-quantity" class="input" inputMode="decimal" autoComplete="off" placeholder="ex.: -2" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} aria-invalid={errors.quantity ? true : undefined} />
      </Field>
      <Field id="adjust-reason" label="Motivo *" error={errors.reason}>
        <input id="adjust-reason" class="input" maxLength={200} placeholder="Quebra, vencido, brinde…" value={reason} onInput={(e) => setReason(e.currentTarget.value)} aria-invalid={errors.reason ? true : undefined} />
      </Field>
      {result && (
        <div class="sm:col-span-2">
          <Alert kind={result.kind}>{result.text}</Alert>
        </div>
      )}
      <div class="flex justify-end sm:col-span-2">
        <button type="submit" class="btn btn-primary" disabled={adjust.isPending}>
          {adjust.isPending ? 'Registrando…' : 'Registrar ajuste'}
        </button>
      </div>
    </form>
  );
}

function CountScreen({ storeId, onCounting }: StoreProps & { onCounting: (busy: boolean) => void }) {
  const [state, dispatch] = useReducer(countReducer, undefined, emptyCount);
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('Inventário');
  const [notice, setNotice] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const queueRef = useRef<Promise<void>>(Promise.resolve());
  const scanRef = useRef<HTMLInputElement>(null);
  const stale = useStockCommand(postCount);

  // Scans are handled one at a time and in order (a scanner types faster than the lookups).
  function scan(raw: string) {
    queueRef.current = queueRef.current.then(async () => {
      const { quantity, term } = parseCountEntry(raw);
      if (!term) return;
      try {
        const found = await lookupCode(term, { quietMissing: true, storeId });
        if (!found) {
          setNotice({ kind: 'error', text: `Nenhum produto com o código ${term}.` });
          return;
        }
        const q = found.source === 'balanca' && found.quantity !== null ? found.quantity : quantity;
        if (!isFractional(found.product.unit) && !Number.isInteger(q)) {
          setNotice({ kind: 'error', text: `${found.product.name} é contado em unidades inteiras.` });
          return;
        }
        dispatch({ type: 'scan', product: found.product, quantity: q });
        setNotice({ kind: 'info', text: `${found.product.name}: +${formatQuantity(q, found.product.unit)}` });
      } catch (e) {
        setNotice({ kind: 'error', text: message(e, 'Erro ao buscar o produto.') });
      }
    });
  }

  async function confirm() {
    const lines = toSend(state);
    if (lines.length === 0) return;
    setSending(true);
    let recorded = 0;
    let unchanged = 0;
    let failed = 0;
    for (const l of lines) {
      dispatch({ type: 'status', productId: l.product.id, status: { kind: 'sending' } });
      try {
        const body = { product_id: l.product.id, store_id: storeId, counted: l.counted, ...(reason.trim() ? { reason: reason.trim() } : {}) };
        const r = await stale.mutateAsync(body);
        if (r.recorded) recorded += 1;
        else unchanged += 1;
        dispatch({
          type: 'status',
          productId: l.product.id,
          status: r.recorded ? { kind: 'recorded', stock: r.product.stock } : { kind: 'unchanged' },
          product: r.product,
        });
      } catch (e) {
        failed += 1;
        const text = e instanceof ApiError ? e.message : message(e, 'Falhou.');
        dispatch({ type: 'status', productId: l.product.id, status: { kind: 'error', message: text } });
      }
    }
    setSending(false);
    const parts = [`${recorded} produto(s) com a diferença registrada`, `${unchanged} sem diferença`];
    if (failed) parts.push(`${failed} com erro (veja na lista)`);
    setNotice({ kind: failed ? 'error' : 'success', text: `Contagem confirmada: ${parts.join(', ')}.` });
    scanRef.current?.focus();
  }

  const pending = toSend(state).length;
  // The page keeps the store while a count is unsent: its lines hold that store's stock.
  const busy = pending > 0 || sending;
  useEffect(() => {
    onCounting(busy);
    return () => onCounting(false);
  }, [busy, onCounting]);
  return (
    <div class="space-y-3">
      <div class="card grid gap-3 sm:grid-cols-[2fr_1fr] sm:items-end">
        <div>
          <label class="label" htmlFor="count-scan">
            Leia o código de barras de cada item (ou digite e tecle Enter; 12*código soma 12)
          </label>
          <input
            id="count-scan"
            ref={scanRef}
            class="input font-mono text-lg"
            autoComplete="off"
            autoFocus
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                const raw = e.currentTarget.value;
                setCode('');
                scan(raw);
              }
            }}
          />
        </div>
        <div>
          <label class="label" htmlFor="count-reason">
            Motivo (vai para o histórico)
          </label>
          <input id="count-reason" class="input" maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
      </div>
      <div aria-live="polite" data-testid="count-notice">
        {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      </div>
      <div class="card">
        {state.lines.length === 0 ? (
          <p class="py-6 text-center text-sm text-slate-700">Nenhum item contado ainda.</p>
        ) : (
          <div class="overflow-x-auto">
            <table class="table" data-testid="count-table">
              <thead>
                <tr>
                  <th scope="col">Produto</th>
                  <th scope="col" class="text-right">Estoque atual</th>
                  <th scope="col" class="text-right">Contado</th>
                  <th scope="col" class="text-right">Diferença</th>
                  <th scope="col">Situação</th>
                  <th scope="col"><span class="sr-only">Ações</span></th>
                </tr>
              </thead>
              <tbody>
                {state.lines.map((l) => {
                  const diff = difference(l);
                  return (
                    <tr key={l.product.id} class={state.last === l.product.id ? 'bg-blue-50' : ''} data-product-id={l.product.id}>
                      <td>
                        {l.product.name}
                        {l.product.code && <div class="font-mono text-xs text-slate-600">{l.product.code}</div>}
                      </td>
                      <td class="text-right tabular-nums">{formatQuantity(l.product.stock, l.product.unit)}</td>
                      <td class="text-right">
                        <input
                          class="input w-28 text-right tabular-nums"
                          inputMode="decimal"
                          aria-label={`Contado de ${l.product.name}`}
                          value={quantityToInput(l.counted, l.product.unit)}
                          onChange={(e) => {
                            const milli = parseQuantityInput(e.currentTarget.value, l.product.unit);
                            if (milli !== null) dispatch({ type: 'set', productId: l.product.id, counted: fromMilli(milli) });
                            else e.currentTarget.value = quantityToInput(l.counted, l.product.unit);
                          }}
                        />
                      </td>
                      <td class={`text-right tabular-nums ${diff < 0 ? 'text-red-800' : diff > 0 ? 'text-green-800' : ''}`} data-testid="count-difference">
                        {diff > 0 ? '+' : ''}
                        {formatQuantity(diff, l.product.unit)}
                      </td>
                      <td class="text-sm" data-testid="count-status">
                        {l.status.kind === 'pending' && 'A confirmar'}
                        {l.status.kind === 'sending' && 'Enviando…'}
                        {l.status.kind === 'recorded' && <span class="text-green-800">Registrado: estoque {formatQuantity(l.status.stock, l.product.unit)}</span>}
                        {l.status.kind === 'unchanged' && 'Confere com o estoque'}
                        {l.status.kind === 'error' && (
                          <span role="alert" class="text-red-800">
                            {l.status.message}
                          </span>
                        )}
                      </td>
                      <td class="text-right">
                        <button type="button" class="btn btn-sm" aria-label={`Remover ${l.product.name} da contagem`} onClick={() => dispatch({ type: 'remove', productId: l.product.id })}>
                          Remover
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <div class="mt-3 flex flex-wrap justify-end gap-2">
          <button type="button" class="btn" disabled={state.lines.length === 0 || sending} onClick={() => dispatch({ type: 'clear' })}>
            Limpar contagem
          </button>
          <button type="button" class="btn btn-primary" disabled={pending === 0 || sending} onClick={() => void confirm()}>
            {sending ? 'Enviando…' : `Confirmar contagem (${pending})`}
          </button>
        </div>
      </div>
    </div>
  );
}
