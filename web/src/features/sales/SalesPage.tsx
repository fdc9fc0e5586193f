import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import type { PaymentMethod, Sale } from '../../api/types';
import { useSession, useTitle } from '../../app/hooks';
import { paymentText, StatusBadge } from '../../components/SaleStatus';
import { ExportButtons, type ExportNotice } from '../../components/ExportButtons';
import { PeriodFields } from '../../components/PeriodFields';
import { Alert, Dialog, Empty, Loading, Pagination, StatCard } from '../../components/ui';
import { IdSelect, UserSelect } from '../../components/IdSelect';
import { formatDateTime, type Period, periodError, periodParams, type PeriodPreset, presetPeriod, todayIn } from '../../lib/dates';
import { formatBRL } from '../../lib/money';
import { usePaymentLabel, useTimezone } from '../info/api';
import { useStores } from '../stores/api';
import { usersQuery } from '../users/api';
import { exportSales, saleQueries } from './api';
import { CancelSaleDialog, ReturnDialog } from './SaleActions';
import { formatQuantityShort } from '../../lib/quantity';

const PER_PAGE = 20;

export default function SalesPage() {
  const session = useSession()!;
  const isAdmin = session.user.role === 'admin';
  useTitle(isAdmin ? 'Vendas' : 'Minhas vendas');
  const tz = useTimezone();
  const paymentLabel = usePaymentLabel();
  const [period, setPeriod] = useState<Period>({ start: '', end: '' });
  const [userId, setUserId] = useState('');
  const [storeId, setStoreId] = useState('');
  const stores = useStores();
  const [page, setPage] = useState(1);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [cancelling, setCancelling] = useState<Sale | null>(null);
  const [returning, setReturning] = useState<Sale | null>(null);
  const [exportMsg, setExportMsg] = useState<ExportNotice | null>(null);

  const invalid = periodError(period);
  const filters = {
    ...periodParams(period),
    ...(isAdmin && userId ? { user_id: Number(userId) } : {}),
    ...(stores.several && storeId ? { store_id: Number(storeId) } : {}),
  };
  const sales = useQuery({
    ...saleQueries.list({ ...filters, page, per_page: PER_PAGE }),
    enabled: !invalid,
    placeholderData: keepPreviousData,
  });
  const users = useQuery({ ...usersQuery, enabled: isAdmin });

  function changePeriod(p: Period) {
    setPeriod(p);
    setPage(1);
  }

  const data = sales.data;
  const presets: [PeriodPreset, string][] = [
    ['hoje', 'Hoje'],
    ['7dias', 'Últimos 7 dias'],
    ['mes', 'Este mês'],
  ];
  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">{isAdmin ? 'Vendas' : 'Minhas vendas'}</h1>
        <ExportButtons
          disabled={!!invalid}
          onExport={(format) => exportSales(filters, `vendas-${todayIn(tz)}.${format}`, format === 'xlsx' ? format : undefined)}
          onNotice={setExportMsg}
        />
      </div>
      {exportMsg && <Alert kind={exportMsg.kind}>{exportMsg.text}</Alert>}
      <section class="card space-y-3" aria-label="Filtros">
        <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end">
          <PeriodFields
            idPrefix="sales"
            type="datetime-local"
            start={period.start}
            end={period.end}
            invalid={!!invalid}
            onChange={(change) => changePeriod({ ...period, ...change })}
          />
          {isAdmin && (
            <UserSelect
              id="sales-user"
              label="Vendedor"
              users={users.data}
              value={userId}
              onChange={(v) => {
                setUserId(v);
                setPage(1);
              }}
            />
          )}
          {stores.several && (
            <IdSelect
              id="sales-store"
              label="Loja"
              all="Todas"
              options={stores.stores}
              value={storeId}
              onChange={(v) => {
                setStoreId(v);
                setPage(1);
              }}
            />
          )}
          <div class="flex flex-wrap gap-1">
            {presets.map(([key, label]) => (
              <button key={key} type="button" class="btn btn-sm" onClick={() => changePeriod(presetPeriod(key, tz))}>
                {label}
              </button>
            ))}
            <button type="button" class="btn btn-sm" onClick={() => changePeriod({ start: '', end: '' })}>
              Limpar
            </button>
          </div>
        </div>
        {invalid && <Alert>{invalid}</Alert>}
      </section>

      {data && (
        <div class="grid grid-cols-1 gap-3 sm:grid-cols-3" data-testid="sales-totals">
          <StatCard label="Vendas no período" value={String(data.total)} />
          <StatCard label="Total do período" value={formatBRL(data.total_amount)} />
          <StatCard label="Ticket médio" value={formatBRL(data.average_ticket)} />
        </div>
      )}

      <div class="card">
        {sales.isPending && !invalid && <Loading />}
        {sales.isError && <Alert>{sales.error.message}</Alert>}
        {data && data.sales.length === 0 && <Empty>Nenhuma venda neste período.</Empty>}
        {data && data.sales.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="sales-table" aria-busy={sales.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Nº</th>
                  <th scope="col">Data</th>
                  {stores.several && <th scope="col">Loja</th>}
                  <th scope="col">Vendedor</th>
                  <th scope="col">Pagamento</th>
                  <th scope="col">Situação</th>
                  <th scope="col" class="text-right">Itens</th>
                  <th scope="col" class="text-right">Total</th>
                  <th scope="col">
                    <span class="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.sales.map((s) => (
                  <tr key={s.id} data-sale-id={s.id}>
                    <td class="tabular-nums">{s.id}</td>
                    <td class="whitespace-nowrap">{formatDateTime(s.timestamp, tz)}</td>
                    {stores.several && <td>{s.store_name}</td>}
                    <td>{s.user_username}</td>
                    <td>{paymentText(s, paymentLabel)}</td>
                    <td>
                      <StatusBadge sale={s} />
                    </td>
                    <td class="text-right tabular-nums">{s.items.reduce((n, i) => n + i.quantity, 0)}</td>
                    <td class={`text-right font-semibold tabular-nums ${s.status === 'cancelada' ? 'text-slate-500 line-through' : ''}`}>
                      {formatBRL(s.total_amount)}
                    </td>
                    <td class="text-right">
                      <div class="flex flex-wrap justify-end gap-1">
                        <button type="button" class="btn btn-sm" onClick={() => setDetailId(s.id)} aria-label={`Detalhes da venda ${s.id}`}>
                          Detalhes
                        </button>
                        <Link href={`/vendas/${s.id}/recibo`} class="btn btn-sm" aria-label={`Recibo da venda ${s.id}`}>
                          Recibo
                        </Link>
                        {isAdmin && s.status !== 'cancelada' && (
                          <>
                            <button type="button" class="btn btn-sm" onClick={() => setReturning(s)} aria-label={`Devolução da venda ${s.id}`}>
                              Devolução
                            </button>
                            <button type="button" class="btn btn-sm" onClick={() => setCancelling(s)} aria-label={`Cancelar venda ${s.id}`}>
                              Cancelar
                            </button>
                          </>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && <Pagination page={data.current_page} pages={data.pages} total={data.total} onPage={setPage} />}
      </div>
      <SaleDetail id={detailId} timeZone={tz} paymentLabel={paymentLabel} showStore={stores.several} onClose={() => setDetailId(null)} />
      <CancelSaleDialog sale={cancelling} onClose={() => setCancelling(null)} onDone={(text) => setExportMsg({ kind: 'success', text })} />
      <ReturnDialog sale={returning} paymentLabel={paymentLabel} onClose={() => setReturning(null)} onDone={(text) => setExportMsg({ kind: 'success', text })} />
    </div>
  );
}

function SaleDetail({
  id,
  timeZone,
  paymentLabel,
  showStore,
  onClose,
}: {
  id: number | null;
  timeZone: string;
  paymentLabel: (m: PaymentMethod) => string;
  showStore: boolean;
  onClose: () => void;
}) {
  const sale = useQuery(saleQueries.detail(id));
  const s = sale.data;
  return (
    <Dialog open={id !== null} title={`Venda nº ${id ?? ''}`} onClose={onClose} wide>
      {sale.isPending && <Loading />}
      {sale.isError && <Alert>{sale.error.message}</Alert>}
      {s && (
        <div class="space-y-3" data-testid="sale-detail">
          <dl class="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
            <div>
              <dt class="text-slate-600">Data</dt>
              <dd>{formatDateTime(s.timestamp, timeZone)}</dd>
            </div>
            {showStore && (
              <div>
                <dt class="text-slate-600">Loja</dt>
                <dd>{s.store_name}</dd>
              </div>
            )}
            <div>
              <dt class="text-slate-600">Vendedor</dt>
              <dd>{s.user_username}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Pagamento</dt>
              <dd>{paymentText(s, paymentLabel)}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Situação</dt>
              <dd>
                <StatusBadge sale={s} />
              </dd>
            </div>
            <div>
              <dt class="text-slate-600">Total</dt>
              <dd class="font-bold">{formatBRL(s.total_amount)}</dd>
            </div>
          </dl>
          <div class="overflow-x-auto">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Produto</th>
                  <th scope="col" class="text-right">Qtd.</th>
                  <th scope="col" class="text-right">Preço</th>
                  <th scope="col" class="text-right">Subtotal</th>
                  <th scope="col" class="text-right">Desconto</th>
                  <th scope="col" class="text-right">Devolvidos</th>
                </tr>
              </thead>
              <tbody>
                {s.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.product_name}</td>
                    <td class="text-right tabular-nums">{formatQuantityShort(i.quantity, i.unit)}</td>
                    <td class="text-right tabular-nums">{formatBRL(i.price_at_sale)}</td>
                    <td class="text-right tabular-nums">{formatBRL(i.subtotal)}</td>
                    <td class="text-right tabular-nums">{i.discount_amount > 0 ? `−${formatBRL(i.discount_amount)}` : '—'}</td>
                    <td class="text-right tabular-nums">{i.returned_quantity || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl class="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
            <div>
              <dt class="text-slate-600">Subtotal</dt>
              <dd class="tabular-nums">{formatBRL(s.subtotal_amount)}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Descontos</dt>
              <dd class="tabular-nums">{s.discount_amount > 0 ? `−${formatBRL(s.discount_amount)}` : '—'}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Troco</dt>
              <dd class="tabular-nums">{formatBRL(s.change)}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Devolvido</dt>
              <dd class="tabular-nums">{s.refunded_amount > 0 ? formatBRL(s.refunded_amount) : '—'}</dd>
            </div>
          </dl>
          {s.payments.length > 0 && (
            <p class="text-sm">
              Pagamentos: {s.payments.map((p) => `${paymentLabel(p.method)} ${formatBRL(p.amount)}`).join(' · ')}
            </p>
          )}
          {s.discount_approved_by && <p class="text-sm">Desconto aprovado por {s.discount_approved_by}.</p>}
          {s.status === 'cancelada' && (
            <Alert>
              Venda cancelada{s.cancelled_at ? ` em ${formatDateTime(s.cancelled_at, timeZone)}` : ''}
              {s.cancelled_by ? ` por ${s.cancelled_by}` : ''}
              {s.cancel_reason ? `: ${s.cancel_reason}` : '.'}
            </Alert>
          )}
          {s.returns.length > 0 && (
            <div class="text-sm">
              <p class="font-semibold">Devoluções</p>
              <ul class="list-disc pl-5">
                {s.returns.map((r) => (
                  <li key={r.id}>
                    {formatDateTime(r.created_at, timeZone)} · {r.user_username} · {formatBRL(r.refund_amount)} em {paymentLabel(r.refund_method)} ·{' '}
                    {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <p>
            <Link href={`/vendas/${s.id}/recibo`} class="btn btn-sm">
              Ver recibo
            </Link>
          </p>
        </div>
      )}
    </Dialog>
  );
}
