// A product's stock ledger: every movement that changed its stock, newest first.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import type { StockMovement } from '../../api/types';
import { useTitle } from '../../app/hooks';
import { IdSelect } from '../../components/IdSelect';
import { Alert, Empty, Loading, Pagination } from '../../components/ui';
import { formatDateTime } from '../../lib/dates';
import { formatBRL } from '../../lib/money';
import { formatQuantity } from '../../lib/quantity';
import { useTimezone } from '../info/api';
import { useStores } from '../stores/api';
import { stockQueries } from './api';

const TYPE_LABELS: Record<StockMovement['type'], string> = {
  inicial: 'Estoque inicial',
  venda: 'Venda',
  ajuste: 'Ajuste',
  contagem: 'Contagem',
  importacao: 'Importação',
  cancelamento: 'Cancelamento de venda',
  transferencia: 'Transferência',
  devolucao: 'Devolução',
  entrada: 'Entrada',
};

export default function MovementsPage({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const stores = useStores();
  const [storeFilter, setStoreFilter] = useState('');
  const storeId = stores.several && storeFilter ? Number(storeFilter) : undefined;
  // With a store chosen, the current stock is that store's (as `stock_after` below).
  const product = useQuery(stockQueries.product(id, storeId));
  const movements = useQuery({ ...stockQueries.movements(id, page, storeId), placeholderData: keepPreviousData });
  const tz = useTimezone();
  const p = product.data;
  useTitle(p ? `Histórico de ${p.name}` : 'Histórico de estoque');
  const data = movements.data;
  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">Histórico de estoque{p ? `: ${p.name}` : ''}</h1>
        <div class="flex gap-2">
          <Link href="/estoque" class="btn">
            Estoque
          </Link>
          <Link href="/produtos" class="btn">
            Produtos
          </Link>
        </div>
      </div>
      {stores.several && (
        <div class="max-w-xs">
          <IdSelect
            id="movements-store"
            label="Loja"
            all="Todas"
            options={stores.stores}
            value={storeFilter}
            onChange={(v) => {
              setStoreFilter(v);
              setPage(1);
            }}
          />
        </div>
      )}
      {p && (
        <p class="text-sm" data-testid="movements-summary">
          Estoque atual <strong>{formatQuantity(p.stock, p.unit)}</strong> · mínimo {formatQuantity(p.min_stock, p.unit)} · custo médio{' '}
          {p.average_cost === null ? '—' : formatBRL(p.average_cost)}
        </p>
      )}
      <div class="card">
        {(product.isError || movements.isError) && <Alert>{(product.error ?? movements.error)?.message}</Alert>}
        {movements.isPending && <Loading />}
        {data && data.movements.length === 0 && <Empty>Nenhum movimento.</Empty>}
        {data && data.movements.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="movements-table">
              <thead>
                <tr>
                  <th scope="col">Quando</th>
                  <th scope="col">Tipo</th>
                  {stores.several && <th scope="col">Loja</th>}
                  <th scope="col" class="text-right">Quantidade</th>
                  <th scope="col" class="text-right">Estoque depois</th>
                  <th scope="col">Quem</th>
                  <th scope="col">Detalhes</th>
                </tr>
              </thead>
              <tbody>
                {data.movements.map((m) => (
                  <tr key={m.id} data-type={m.type}>
                    <td class="whitespace-nowrap">{formatDateTime(m.created_at, tz)}</td>
                    <td>{TYPE_LABELS[m.type] ?? m.type}</td>
                    {stores.several && <td>{m.store_name ?? stores.name(m.store_id)}</td>}
                    <td class={`text-right tabular-nums ${m.quantity < 0 ? 'text-red-800' : 'text-green-800'}`}>
                      {m.quantity > 0 ? '+' : ''}
                      {formatQuantity(m.quantity, p?.unit)}
                    </td>
                    <td class="text-right tabular-nums">{formatQuantity(m.stock_after, p?.unit)}</td>
                    <td>{m.user_username ?? '—'}</td>
                    <td class="text-sm">
                      {[
                        m.unit_cost !== null ? `custo ${formatBRL(m.unit_cost)}` : null,
                        m.supplier ? `fornecedor ${m.supplier}` : null,
                        m.invoice ? `NF ${m.invoice}` : null,
                        m.note,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                      {m.sale_id !== null && (
                        <Link href={`/vendas/${m.sale_id}/recibo`} class="ml-1 text-blue-800 underline">
                          venda #{m.sale_id}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && <Pagination page={data.current_page} pages={data.pages} total={data.total} onPage={setPage} />}
      </div>
    </div>
  );
}
