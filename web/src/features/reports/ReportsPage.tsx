// Relatórios (administrators): the sales of a period grouped by day, week, month, hour, seller,
// product, category or payment method (GET /api/reports/sales), as a chart of the net and a
// table with the totals, and the same report as CSV or XLSX. The controls live in the address.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { useSearchParams } from 'wouter';
import type { ReportFigures } from '../../api/types';
import { useTitle } from '../../app/hooks';
import { ExportButtons, type ExportNotice } from '../../components/ExportButtons';
import { PeriodFields } from '../../components/PeriodFields';
import { Alert, Empty, Loading } from '../../components/ui';
import { IdSelect, UserSelect } from '../../components/IdSelect';
import { todayIn } from '../../lib/dates';
import { formatBRL } from '../../lib/money';
import { categoriesQuery } from '../categories/api';
import { useTimezone } from '../info/api';
import { useStores } from '../stores/api';
import { usersQuery } from '../users/api';
import { exportSalesReport, reportQueries } from './api';
import { ProductFilter } from './ProductFilter';
import { GROUPINGS, grouping, presetRange, RANGE_PRESETS, rangeError, readState, reportQuery, type ReportState, writeState } from './query';
import { ReportChart } from './ReportChart';

const whole = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });
const quantity = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 3 });
const percent = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NONE = '—';

export const COLUMNS = ['Grupo', 'Vendas', 'Quantidade', 'Bruto', 'Descontos', 'Líquido', 'Ticket médio', 'Custo', 'Margem', 'Margem %'] as const;

/**
 * A row's cells after "Grupo", as the table shows them. By payment method only the sales, the
 * net and the average ticket mean something (the server sends 0 for the rest): "—" there, as
 * for a cost nobody knew.
 */
export function figureCells(f: ReportFigures, byPaymentMethod: boolean): string[] {
  const money = (v: number | null) => (v === null ? NONE : formatBRL(v));
  const only = (s: string) => (byPaymentMethod ? NONE : s);
  return [
    whole.format(f.count),
    only(quantity.format(f.quantity)),
    only(money(f.gross)),
    only(money(f.discounts)),
    money(f.net),
    money(f.average_ticket),
    only(money(f.cost)),
    only(money(f.margin)),
    only(f.margin_percent === null ? NONE : `${percent.format(f.margin_percent)}%`),
  ];
}

export default function ReportsPage() {
  useTitle('Relatórios');
  const tz = useTimezone();
  const [params, setParams] = useSearchParams();
  const stores = useStores();
  const read = readState(params, tz);
  // One store's report only in a shop with several (a link from one keeps nothing of it here).
  const state = stores.several ? read : { ...read, storeId: null };
  const query = reportQuery(state);
  const invalid = rangeError(state);
  const report = useQuery({ ...reportQueries.sales(query), enabled: !invalid, placeholderData: keepPreviousData });
  const users = useQuery(usersQuery);
  const categories = useQuery(categoriesQuery);
  const [exportMsg, setExportMsg] = useState<ExportNotice | null>(null);

  function update(change: Partial<ReportState>) {
    setParams(writeState({ ...state, ...change }), { replace: true });
    setExportMsg(null);
  }

  // The answer on screen may be the previous one while the next comes (keepPreviousData): its
  // own `group_by` says how to read it.
  const data = report.isError ? undefined : report.data;
  const shown = grouping(data?.group_by ?? state.group);
  const byMethod = shown.value === 'payment_method';
  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">Relatórios</h1>
        <ExportButtons
          disabled={!!invalid}
          onExport={(format) => exportSalesReport(query, format, `relatorio-${query.group_by}-${todayIn(tz)}.${format}`)}
          onNotice={setExportMsg}
        />
      </div>
      {exportMsg && <Alert kind={exportMsg.kind}>{exportMsg.text}</Alert>}

      <section class="card space-y-3" aria-label="Filtros">
        <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 lg:items-start">
          <div>
            <label class="label" htmlFor="report-group">
              Agrupar por
            </label>
            <select id="report-group" class="input" value={state.group} onChange={(e) => update({ group: grouping(e.currentTarget.value).value })}>
              {GROUPINGS.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </select>
          </div>
          <PeriodFields idPrefix="report" type="date" start={state.start} end={state.end} invalid={!!invalid} onChange={update} />
          {stores.several && (
            <IdSelect
              id="report-store"
              label="Loja"
              all="Todas as lojas"
              options={stores.stores}
              value={state.storeId === null ? '' : String(state.storeId)}
              onChange={(v) => update({ storeId: v ? Number(v) : null })}
            />
          )}
          <UserSelect
            id="report-user"
            label="Vendedor"
            users={users.data}
            value={state.userId === null ? '' : String(state.userId)}
            onChange={(v) => update({ userId: v ? Number(v) : null })}
          />
          <div>
            <label class="label" htmlFor="report-category">
              Categoria
            </label>
            <select
              id="report-category"
              class="input"
              value={state.categoryId === null ? '' : String(state.categoryId)}
              onChange={(e) => update({ categoryId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
            >
              <option value="">Todas</option>
              {categories.data?.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <ProductFilter id="report-product" productId={state.productId} onChange={(productId) => update({ productId })} />
        </div>
        <div class="flex flex-wrap gap-1" role="group" aria-label="Períodos">
          {RANGE_PRESETS.map(([key, label]) => (
            <button key={key} type="button" class="btn btn-sm" onClick={() => update(presetRange(key, tz))}>
              {label}
            </button>
          ))}
          <button type="button" class="btn btn-sm" onClick={() => update({ start: '', end: '' })}>
            Todo o período
          </button>
        </div>
        {invalid && <Alert>{invalid}</Alert>}
      </section>

      <div class="card space-y-4">
        {report.isPending && !invalid && <Loading />}
        {report.isError && <Alert>{report.error.message}</Alert>}
        {data && data.rows.length === 0 && <Empty>Nenhuma venda para estes filtros.</Empty>}
        {data && data.rows.length > 0 && (
          <>
            <ReportChart rows={data.rows} group={shown.value} time={shown.time} caption={`Líquido por ${shown.noun}`} />
            <div class="overflow-x-auto">
              <table class="table" data-testid="report-table" data-group={shown.value} aria-busy={report.isFetching}>
                <thead>
                  <tr>
                    {COLUMNS.map((c, i) => (
                      <th key={c} scope="col" class={i > 0 ? 'text-right' : undefined}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.key} data-key={r.key}>
                      <th scope="row" class="border-slate-200 font-normal text-slate-900">
                        {r.label}
                      </th>
                      {figureCells(r, byMethod).map((cell, i) => (
                        <td key={COLUMNS[i + 1]} class="whitespace-nowrap text-right tabular-nums">
                          {cell}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr class="border-t-2 font-semibold" data-testid="report-totals">
                    <th scope="row" class="border-slate-200 text-slate-900">
                      Total
                    </th>
                    {figureCells(data.totals, byMethod).map((cell, i) => (
                      <td key={COLUMNS[i + 1]} class="whitespace-nowrap text-right tabular-nums">
                        {cell}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              </table>
            </div>
            <p class="text-xs text-slate-600">
              Vendas canceladas ficam de fora; as devoluções já estão descontadas, no dia da venda.
              {(shown.value === 'product' || shown.value === 'category') &&
                ' Vendas: as vendas em que o produto esteve (uma venda com dois produtos da categoria conta duas vezes nela).'}
              {byMethod &&
                ' Por forma de pagamento: o que cada forma recebeu, menos o que as devoluções reembolsaram por ela; uma venda paga de duas formas conta em cada uma, e uma vez no total.'}
              {!byMethod && ' Custo e margem só das linhas cujo custo era conhecido na venda.'}
            </p>
          </>
        )}
      </div>
    </div>
  );
}
