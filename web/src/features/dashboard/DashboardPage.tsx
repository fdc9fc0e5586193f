import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import { useTitle } from '../../app/hooks';
import { Alert, Empty, Loading, StatCard } from '../../components/ui';
import { formatDayMonth } from '../../lib/dates';
import { formatBRL, formatCents, toCents } from '../../lib/money';
import { IdSelect } from '../../components/IdSelect';
import { productQueries } from '../products/api';
import { useStores } from '../stores/api';
import { summaryQuery } from './api';
import { BarList, ColumnChart, moneyTitle } from './charts';
import { ReviewCard } from './ReviewCard';
import { formatQuantity, formatQuantityShort } from '../../lib/quantity';

export default function DashboardPage() {
  useTitle('Painel');
  const stores = useStores();
  const [storeId, setStoreId] = useState<number | null>(null);
  const shown = stores.several ? storeId : null;
  const s = useQuery(summaryQuery(shown));
  const low = useQuery(productQueries.lowStock(shown));

  return (
    <div class="space-y-4">
      <div class="flex flex-wrap items-end justify-between gap-3">
        <h1 class="page-title">Painel</h1>
        {stores.several && (
          <IdSelect
            id="dashboard-store"
            label="Loja"
            inline
            all="Todas as lojas"
            options={stores.stores}
            value={storeId === null ? '' : String(storeId)}
            onChange={(v) => setStoreId(v ? Number(v) : null)}
          />
        )}
      </div>
      <ReviewCard />
      {s.isPending && <Loading />}
      {s.isError && <Alert>{s.error.message}</Alert>}
      {s.data && (
        <>
          <div class="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
            <StatCard label="Vendas de hoje" value={formatBRL(s.data.today_sales)} hint={`${s.data.today_count} venda(s)`} />
            <StatCard label="Vendas do mês" value={formatBRL(s.data.month_sales)} hint={`${s.data.month_count} venda(s)`} />
            <StatCard label="Total vendido" value={formatBRL(s.data.total_sales)} hint={`${s.data.total_count} venda(s)`} />
            <StatCard label="Vendas hoje (qtd.)" value={String(s.data.today_count)} />
            <StatCard label="Ticket médio (mês)" value={formatBRL(s.data.average_ticket)} />
          </div>
          <div class="grid gap-4 lg:grid-cols-3">
            <section class="card lg:col-span-2" aria-labelledby="daily-title">
              <h2 id="daily-title" class="mb-2 font-semibold">
                Vendas por dia (últimos 30 dias)
              </h2>
              <ColumnChart
                caption="Valor vendido por dia nos últimos 30 dias"
                formatMax={(v) => `máx. ${formatCents(v)}`}
                bars={s.data.daily.map((d) => ({
                  label: formatDayMonth(d.date),
                  value: toCents(d.total),
                  title: moneyTitle(formatDayMonth(d.date), toCents(d.total), d.count),
                }))}
              />
            </section>
            <section class="card" aria-labelledby="top-title">
              <h2 id="top-title" class="mb-2 font-semibold">
                Mais vendidos (30 dias)
              </h2>
              {s.data.top_products.length === 0 ? (
                <Empty>Nenhuma venda nos últimos 30 dias.</Empty>
              ) : (
                <BarList
                  caption="Produtos mais vendidos em unidades (quilos, litros ou metros nos vendidos a granel)"
                  bars={s.data.top_products.map((p) => ({
                    label: p.name,
                    value: p.total_sold,
                    shown: formatQuantity(p.total_sold, p.unit),
                    title: `${p.name}: ${formatQuantity(p.total_sold, p.unit)}, ${formatBRL(p.total_amount)}`,
                  }))}
                />
              )}
            </section>
          </div>
        </>
      )}
      <section class="card" aria-labelledby="low-title">
        <div class="mb-2 flex items-baseline justify-between">
          <h2 id="low-title" class="font-semibold">
            Estoque baixo
          </h2>
          <Link href="/produtos?estoque_baixo=1" class="text-sm text-blue-800 underline">
            Ver todos
          </Link>
        </div>
        {low.isPending && <Loading />}
        {low.isError && <Alert>{low.error.message}</Alert>}
        {low.data && low.data.products.length === 0 && <Empty>Nenhum produto com estoque baixo.</Empty>}
        {low.data && low.data.products.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="low-stock">
              <thead>
                <tr>
                  <th scope="col">Produto</th>
                  <th scope="col">Categoria</th>
                  <th scope="col" class="text-right">Estoque</th>
                  <th scope="col" class="text-right">Mínimo</th>
                </tr>
              </thead>
              <tbody>
                {low.data.products.map((p) => (
                  <tr key={p.id}>
                    <td>{p.name}</td>
                    <td>{p.category_name}</td>
                    <td class="text-right font-semibold text-red-800 tabular-nums">{formatQuantityShort(p.stock, p.unit)}</td>
                    <td class="text-right tabular-nums">{formatQuantityShort(p.min_stock, p.unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
