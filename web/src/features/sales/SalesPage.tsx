import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { PaymentMethod } from '../../api/types';
import { useSession, useTitle } from '../../app/hooks';
import { Alert, Dialog, Empty, Loading, Pagination, StatCard } from '../../components/ui';
import { formatDateTime, type Period, periodError, periodParams, type PeriodPreset, presetPeriod, todayIn } from '../../lib/dates';
import { formatBRL } from '../../lib/money';
import { usePaymentLabel, useTimezone } from '../info/api';
import { usersQuery } from '../users/api';
import { exportSales, saleQueries } from './api';

const PER_PAGE = 20;

export default function SalesPage() {
  const session = useSession()!;
  const isAdmin = session.user.role === 'admin';
  useTitle(isAdmin ? 'Vendas' : 'Minhas vendas');
  const tz = useTimezone();
  const paymentLabel = usePaymentLabel();
  const [period, setPeriod] = useState<Period>({ start: '', end: '' });
  const [userId, setUserId] = useState('');
  const [page, setPage] = useState(1);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportMsg, setExportMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const invalid = periodError(period);
  const filters = { ...periodParams(period), ...(isAdmin && userId ? { user_id: Number(userId) } : {}) };
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

  async function doExport() {
    setExporting(true);
    setExportMsg(null);
    try {
      const name = await exportSales(filters, `vendas-${todayIn(tz)}.csv`);
      setExportMsg({ kind: 'success', text: `Arquivo ${name} baixado.` });
    } catch (err) {
      setExportMsg({ kind: 'error', text: err instanceof Error ? err.message : 'Não foi possível exportar.' });
    } finally {
      setExporting(false);
    }
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
        <button type="button" class="btn" onClick={doExport} disabled={exporting || !!invalid}>
          {exporting ? 'Exportando…' : 'Exportar CSV'}
        </button>
      </div>
      {exportMsg && <Alert kind={exportMsg.kind}>{exportMsg.text}</Alert>}
      <section class="card space-y-3" aria-label="Filtros">
        <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end">
          <div>
            <label class="label" htmlFor="sales-start">
              De
            </label>
            <input id="sales-start" type="datetime-local" class="input" value={period.start} onChange={(e) => changePeriod({ ...period, start: e.currentTarget.value })} />
          </div>
          <div>
            <label class="label" htmlFor="sales-end">
              Até
            </label>
            <input
              id="sales-end"
              type="datetime-local"
              class="input"
              value={period.end}
              aria-invalid={invalid ? true : undefined}
              onChange={(e) => changePeriod({ ...period, end: e.currentTarget.value })}
            />
          </div>
          {isAdmin && (
            <div>
              <label class="label" htmlFor="sales-user">
                Vendedor
              </label>
              <select
                id="sales-user"
                class="input"
                value={userId}
                onChange={(e) => {
                  setUserId(e.currentTarget.value);
                  setPage(1);
                }}
              >
                <option value="">Todos</option>
                {users.data?.map((u) => (
                  <option key={u.id} value={String(u.id)}>
                    {u.username}
                  </option>
                ))}
              </select>
            </div>
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
                  <th scope="col">Vendedor</th>
                  <th scope="col">Pagamento</th>
                  <th scope="col" class="text-right">Itens</th>
                  <th scope="col" class="text-right">Total</th>
                  <th scope="col">
                    <span class="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.sales.map((s) => (
                  <tr key={s.id}>
                    <td class="tabular-nums">{s.id}</td>
                    <td class="whitespace-nowrap">{formatDateTime(s.timestamp, tz)}</td>
                    <td>{s.user_username}</td>
                    <td>{s.payment_method ? paymentLabel(s.payment_method) : '—'}</td>
                    <td class="text-right tabular-nums">{s.items.reduce((n, i) => n + i.quantity, 0)}</td>
                    <td class="text-right font-semibold tabular-nums">{formatBRL(s.total_amount)}</td>
                    <td class="text-right">
                      <button type="button" class="btn btn-sm" onClick={() => setDetailId(s.id)} aria-label={`Detalhes da venda ${s.id}`}>
                        Detalhes
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && <Pagination page={data.current_page} pages={data.pages} total={data.total} onPage={setPage} />}
      </div>
      <SaleDetail id={detailId} timeZone={tz} paymentLabel={paymentLabel} onClose={() => setDetailId(null)} />
    </div>
  );
}

function SaleDetail({
  id,
  timeZone,
  paymentLabel,
  onClose,
}: {
  id: number | null;
  timeZone: string;
  paymentLabel: (m: PaymentMethod) => string;
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
            <div>
              <dt class="text-slate-600">Vendedor</dt>
              <dd>{s.user_username}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Pagamento</dt>
              <dd>{s.payment_method ? paymentLabel(s.payment_method) : '—'}</dd>
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
                </tr>
              </thead>
              <tbody>
                {s.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.product_name}</td>
                    <td class="text-right tabular-nums">{i.quantity}</td>
                    <td class="text-right tabular-nums">{formatBRL(i.price_at_sale)}</td>
                    <td class="text-right tabular-nums">{formatBRL(i.subtotal)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Dialog>
  );
}
