// /clientes/:id — a customer: their data, what they bought (the server's totals: sales that stand,
// net of returns) and their purchases (GET /api/sales?customer_id=), each linking to its receipt.
// An employee sees only the sales they made (the server filters them).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import { useSession, useTitle } from '../../app/hooks';
import { paymentText, StatusBadge } from '../../components/SaleStatus';
import { Alert, Empty, Loading, Pagination, StatCard } from '../../components/ui';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatBRL } from '../../lib/money';
import { usePaymentLabel, useTimezone } from '../info/api';
import { saleQueries } from '../sales/api';
import { customerQueries } from './api';
import { CustomerDialog } from './CustomerDialog';

const PER_PAGE = 20;

export default function CustomerDetailPage({ id }: { id: number }) {
  const customer = useQuery(customerQueries.detail(id));
  useTitle(customer.data ? `Cliente ${customer.data.name}` : 'Cliente');
  const isAdmin = useSession()?.user.role === 'admin';
  const tz = useTimezone();
  const paymentLabel = usePaymentLabel();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const sales = useQuery(saleQueries.list({ customer_id: id, page, per_page: PER_PAGE }));
  const c = customer.data;

  return (
    <div class="space-y-3">
      <Link href="/clientes" class="text-sm text-blue-800 underline">
        Voltar aos clientes
      </Link>
      {customer.isPending && <Loading />}
      {customer.isError && <Alert>{customer.error.message}</Alert>}
      {c && (
        <>
          <div class="flex flex-wrap items-center justify-between gap-2">
            <h1 class="page-title">{c.name}</h1>
            <button type="button" class="btn" onClick={() => setEditing(true)}>
              Editar
            </button>
          </div>
          {notice && <Alert kind="success">{notice}</Alert>}
          <dl class="card grid grid-cols-1 gap-2 text-sm sm:grid-cols-4" data-testid="customer-data">
            <div>
              <dt class="text-slate-600">{c.document_type ?? 'CPF/CNPJ'}</dt>
              <dd class="font-mono">{c.document ?? '—'}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Telefone</dt>
              <dd>{c.phone ?? '—'}</dd>
            </div>
            <div>
              <dt class="text-slate-600">E-mail</dt>
              <dd class="break-all">{c.email ?? '—'}</dd>
            </div>
            <div>
              <dt class="text-slate-600">Cliente desde</dt>
              <dd>{formatDate(c.created_at, tz)}</dd>
            </div>
          </dl>
          <div class="grid grid-cols-1 gap-3 sm:grid-cols-3" data-testid="customer-totals">
            <StatCard label="Compras" value={String(c.purchases_count)} hint="Vendas não canceladas" />
            <StatCard label="Total gasto" value={formatBRL(c.total_spent)} hint="Descontadas as devoluções" />
            <StatCard label="Última compra" value={c.last_purchase_at ? formatDate(c.last_purchase_at, tz) : '—'} />
          </div>
        </>
      )}
      <section class="card" aria-labelledby="customer-sales-title">
        <h2 id="customer-sales-title" class="mb-2 text-lg font-bold">
          Histórico de compras
        </h2>
        {!isAdmin && <p class="mb-2 text-xs text-slate-600">Você vê as compras que este cliente fez com você.</p>}
        {sales.isPending && <Loading />}
        {sales.isError && <Alert>{sales.error.message}</Alert>}
        {sales.data && sales.data.sales.length === 0 && <Empty>Nenhuma compra registrada.</Empty>}
        {sales.data && sales.data.sales.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="customer-sales" aria-busy={sales.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Nº</th>
                  <th scope="col">Data</th>
                  <th scope="col">Vendedor</th>
                  <th scope="col">Pagamento</th>
                  <th scope="col">Situação</th>
                  <th scope="col" class="text-right">Total</th>
                  <th scope="col">
                    <span class="sr-only">Recibo</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sales.data.sales.map((s) => (
                  <tr key={s.id} data-sale-id={s.id}>
                    <td class="tabular-nums">{s.id}</td>
                    <td class="whitespace-nowrap">{formatDateTime(s.timestamp, tz)}</td>
                    <td>{s.user_username}</td>
                    <td>{paymentText(s, paymentLabel)}</td>
                    <td>
                      <StatusBadge sale={s} />
                    </td>
                    <td class={`text-right font-semibold tabular-nums ${s.status === 'cancelada' ? 'text-slate-500 line-through' : ''}`}>
                      {formatBRL(s.total_amount)}
                    </td>
                    <td class="text-right">
                      <Link href={`/vendas/${s.id}/recibo`} class="btn btn-sm" aria-label={`Recibo da venda ${s.id}`}>
                        Recibo
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {sales.data && <Pagination page={sales.data.current_page} pages={sales.data.pages} total={sales.data.total} onPage={setPage} />}
      </section>
      {c && (
        <CustomerDialog
          open={editing}
          customer={c}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setNotice(`Cliente “${saved.name}” atualizado.`);
          }}
        />
      )}
    </div>
  );
}
