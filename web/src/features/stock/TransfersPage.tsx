// Transferências: stock sent from one store to another. An administrator sends (the units leave
// the origin at once and travel "em trânsito"), the destination receives them (an administrator or
// one of its employees), and an administrator may cancel one still in transit (back to the origin).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { Product, Transfer, TransferStatus } from '../../api/types';
import { useSession, useTitle } from '../../app/hooks';
import { IdSelect } from '../../components/IdSelect';
import { Alert, ConfirmDialog, Empty, Loading, Pagination } from '../../components/ui';
import { formatDateTime } from '../../lib/dates';
import { formatQuantity, fromMilli, isFractional, parseQuantityInput } from '../../lib/quantity';
import { useTimezone } from '../info/api';
import { ProductPicker } from './ProductPicker';
import { chosenStore, useStores } from '../stores/api';
import { transferQueries, useTransferAction } from './api';

const PER_PAGE = 20;

export const TRANSFER_STATUS_LABELS: Record<TransferStatus, string> = {
  em_transito: 'Em trânsito',
  recebida: 'Recebida',
  cancelada: 'Cancelada',
};

const message = (e: unknown, fallback: string) => (e instanceof Error ? e.message : fallback);

export default function TransfersPage() {
  useTitle('Transferências');
  const session = useSession()!;
  const isAdmin = session.user.role === 'admin';
  const [status, setStatus] = useState<TransferStatus | ''>('');
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [cancelling, setCancelling] = useState<Transfer | null>(null);
  const tz = useTimezone();
  const list = useQuery(transferQueries.list({ status: status || undefined, page, per_page: PER_PAGE }));
  const action = useTransferAction();

  async function receive(t: Transfer) {
    setNotice(null);
    try {
      await action.mutateAsync({ kind: 'receive', id: t.id });
      setNotice({ kind: 'success', text: `Transferência nº ${t.id} recebida em ${t.to_store_name}: as unidades entraram no estoque.` });
    } catch (e) {
      setNotice({ kind: 'error', text: message(e, 'Não foi possível receber a transferência.') });
    }
  }

  async function cancel(t: Transfer) {
    setNotice(null);
    try {
      await action.mutateAsync({ kind: 'cancel', id: t.id });
      setCancelling(null);
      setNotice({ kind: 'success', text: `Transferência nº ${t.id} cancelada: as unidades voltaram a ${t.from_store_name}.` });
    } catch {
      // shown in the dialog
    }
  }

  const mayReceive = (t: Transfer) => t.status === 'em_transito' && (isAdmin || session.user.store_ids.includes(t.to_store_id));
  const data = list.data;
  return (
    <div class="space-y-3">
      <h1 class="page-title">Transferências</h1>
      {isAdmin && <SendForm onSent={(t) => setNotice({ kind: 'success', text: sentText(t) })} />}
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      <section class="card space-y-3" aria-label="Transferências">
        <div class="max-w-xs">
          <label class="label" htmlFor="transfers-status">
            Situação
          </label>
          <select
            id="transfers-status"
            class="input"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as TransferStatus | '');
              setPage(1);
            }}
          >
            <option value="">Todas</option>
            {Object.entries(TRANSFER_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <Alert>{list.error.message}</Alert>
        ) : data!.transfers.length === 0 ? (
          <Empty>Nenhuma transferência{status ? ` ${TRANSFER_STATUS_LABELS[status].toLowerCase()}` : ''}.</Empty>
        ) : (
          <>
            <div class="overflow-x-auto">
              <table class="table" data-testid="transfers">
                <thead>
                  <tr>
                    <th scope="col">Nº</th>
                    <th scope="col">Enviada</th>
                    <th scope="col">De → Para</th>
                    <th scope="col">Itens</th>
                    <th scope="col">Situação</th>
                    <th scope="col">
                      <span class="sr-only">Ações</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data!.transfers.map((t) => (
                    <tr key={t.id} data-testid={`transfer-${t.id}`}>
                      <td>{t.id}</td>
                      <td class="whitespace-nowrap">
                        {formatDateTime(t.created_at, tz)}
                        {t.username && <span class="block text-xs text-slate-600">por {t.username}</span>}
                      </td>
                      <td>
                        {t.from_store_name} → {t.to_store_name}
                        {t.note && <span class="block text-xs text-slate-600">{t.note}</span>}
                      </td>
                      <td>
                        <ul>
                          {t.items.map((i) => (
                            <li key={i.product_id}>
                              {formatQuantity(i.quantity, i.unit)} · {i.product_name}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td class="whitespace-nowrap">
                        <StatusBadge status={t.status} />
                        {t.closed_at && <span class="block text-xs text-slate-600">{formatDateTime(t.closed_at, tz)}</span>}
                      </td>
                      <td class="whitespace-nowrap text-right">
                        {mayReceive(t) && (
                          <button type="button" class="btn btn-primary" disabled={action.isPending} onClick={() => void receive(t)}>
                            Receber
                          </button>
                        )}
                        {isAdmin && t.status === 'em_transito' && (
                          <button
                            type="button"
                            class="btn ml-1"
                            disabled={action.isPending}
                            onClick={() => {
                              action.reset();
                              setCancelling(t);
                            }}
                          >
                            Cancelar
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={data!.current_page} pages={data!.pages} total={data!.total} onPage={setPage} />
          </>
        )}
      </section>
      <ConfirmDialog
        open={cancelling !== null}
        title={`Cancelar a transferência nº ${cancelling?.id ?? ''}?`}
        message={`As unidades voltam ao estoque de ${cancelling?.from_store_name ?? ''}.`}
        confirmLabel="Cancelar transferência"
        closeLabel="Voltar"
        busy={action.isPending}
        error={cancelling && action.isError ? action.error.message : null}
        onConfirm={() => cancelling && void cancel(cancelling)}
        onClose={() => setCancelling(null)}
      />
    </div>
  );
}

function StatusBadge({ status }: { status: TransferStatus }) {
  const color = status === 'em_transito' ? 'bg-amber-100 text-amber-900' : status === 'recebida' ? 'bg-green-100 text-green-900' : 'bg-slate-200 text-slate-800';
  return <span class={`badge ${color}`}>{TRANSFER_STATUS_LABELS[status]}</span>;
}

const sentText = (t: Transfer) =>
  `Transferência nº ${t.id} enviada: ${t.items.map((i) => `${formatQuantity(i.quantity, i.unit)} de ${i.product_name}`).join(', ')} saíram de ${t.from_store_name} e estão em trânsito para ${t.to_store_name}.`;

interface Line {
  product: Product;
  milli: number;
}

/** The administrator's form: from, to, the products and quantities (read in the origin's stock). */
function SendForm({ onSent }: { onSent: (t: Transfer) => void }) {
  const active = useStores().stores.filter((s) => s.active);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [product, setProduct] = useState<Product | null>(null);
  const [quantity, setQuantity] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const action = useTransferAction();
  const fromId = chosenStore(active, from)?.id;
  const destinations = active.filter((s) => s.id !== fromId);
  const toId = chosenStore(destinations, to)?.id;

  function changeFrom(value: string) {
    // What was read belongs to the old origin's stock: pick the products again.
    setFrom(Number(value));
    setProduct(null);
    setLines([]);
  }

  function addLine() {
    setError(null);
    if (!product) return setError('Escolha o produto.');
    const milli = parseQuantityInput(quantity, product.unit);
    if (milli === null || milli <= 0) {
      return setError(isFractional(product.unit) ? 'Quantidade maior que zero, até três casas decimais.' : 'Quantidade inteira maior que zero.');
    }
    const others = lines.filter((l) => l.product.id !== product.id);
    const before = lines.find((l) => l.product.id === product.id)?.milli ?? 0;
    setLines([...others, { product, milli: before + milli }]);
    setProduct(null);
    setQuantity('');
  }

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    if (fromId === undefined || toId === undefined) return setError('São precisas duas lojas ativas.');
    if (lines.length === 0) return setError('Adicione ao menos um produto.');
    try {
      const sent = await action.mutateAsync({
        kind: 'send',
        body: {
          from_store_id: fromId,
          to_store_id: toId,
          items: lines.map((l) => ({ product_id: l.product.id, quantity: fromMilli(l.milli) })),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      });
      setLines([]);
      setNote('');
      onSent(sent);
    } catch (err) {
      setError(message(err, 'Não foi possível enviar a transferência.'));
    }
  }

  return (
    <form class="card grid max-w-3xl gap-3 sm:grid-cols-2" onSubmit={submit} noValidate aria-label="Nova transferência">
      <h2 class="font-semibold sm:col-span-2">Nova transferência</h2>
      <IdSelect id="transfer-from" label="De (origem)" options={active} value={String(fromId ?? '')} onChange={changeFrom} />
      <IdSelect id="transfer-to" label="Para (destino)" options={destinations} value={String(toId ?? '')} onChange={(v) => setTo(Number(v))} />
      <div class="sm:col-span-2">
        <ProductPicker id="transfer-product" value={product} onChange={setProduct} storeId={fromId} />
      </div>
      <div>
        <label class="label" htmlFor="transfer-quantity">
          Quantidade{product ? ` (${product.unit})` : ''}
        </label>
        <input
          id="transfer-quantity"
          class="input"
          inputMode="decimal"
          autoComplete="off"
          value={quantity}
          onInput={(e) => setQuantity(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addLine();
            }
          }}
        />
      </div>
      <div class="flex items-end">
        <button type="button" class="btn" onClick={addLine}>
          Adicionar
        </button>
      </div>
      {lines.length > 0 && (
        <ul class="divide-y rounded border sm:col-span-2" aria-label="Itens da transferência">
          {lines.map((l) => (
            <li key={l.product.id} class="flex items-center justify-between px-2 py-1.5 text-sm">
              <span>
                {formatQuantity(fromMilli(l.milli), l.product.unit)} · {l.product.name}
              </span>
              <button type="button" class="btn" aria-label={`Tirar ${l.product.name}`} onClick={() => setLines(lines.filter((x) => x !== l))}>
                Tirar
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="sm:col-span-2">
        <label class="label" htmlFor="transfer-note">
          Observação
        </label>
        <input id="transfer-note" class="input" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      {error && (
        <div class="sm:col-span-2">
          <Alert>{error}</Alert>
        </div>
      )}
      <div class="sm:col-span-2">
        <button type="submit" class="btn btn-primary" disabled={action.isPending}>
          {action.isPending ? 'Enviando…' : 'Enviar transferência'}
        </button>
      </div>
    </form>
  );
}
