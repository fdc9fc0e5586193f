// /clientes — the shop's customers: search by name or CPF/CNPJ (the server's search), what each
// one bought, "Novo cliente" and "Editar"; each links to their purchases (/clientes/:id).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import type { Customer } from '../../api/types';
import { useDebounced, useTitle } from '../../app/hooks';
import { Alert, Empty, Loading, Pagination } from '../../components/ui';
import { formatDate } from '../../lib/dates';
import { formatBRL } from '../../lib/money';
import { useTimezone } from '../info/api';
import { customerQueries } from './api';
import { CustomerDialog } from './CustomerDialog';

const PER_PAGE = 20;
const SEARCH_DEBOUNCE_MS = 250;

export default function CustomersPage() {
  useTitle('Clientes');
  const tz = useTimezone();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Customer | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const term = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const customers = useQuery(customerQueries.list({ search: term, page, per_page: PER_PAGE }));
  const data = customers.data;

  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">Clientes</h1>
        <button type="button" class="btn btn-primary" onClick={() => setEditing(null)}>
          + Novo cliente
        </button>
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      <div class="card">
        <label class="label" htmlFor="customers-search">
          Buscar por nome ou CPF/CNPJ
        </label>
        <input
          id="customers-search"
          type="search"
          class="input"
          autoComplete="off"
          value={search}
          onInput={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
      </div>
      <div class="card">
        {customers.isPending && <Loading />}
        {customers.isError && <Alert>{customers.error.message}</Alert>}
        {data && data.customers.length === 0 && <Empty>{term ? `Nenhum cliente encontrado para “${term}”.` : 'Nenhum cliente cadastrado ainda.'}</Empty>}
        {data && data.customers.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="customers-table" aria-busy={customers.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Nome</th>
                  <th scope="col">CPF/CNPJ</th>
                  <th scope="col">Telefone</th>
                  <th scope="col">E-mail</th>
                  <th scope="col" class="text-right">Compras</th>
                  <th scope="col" class="text-right">Total gasto</th>
                  <th scope="col">Última compra</th>
                  <th scope="col">
                    <span class="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.customers.map((c) => (
                  <tr key={c.id} data-customer-id={c.id}>
                    <td>
                      <Link href={`/clientes/${c.id}`} class="font-medium text-blue-800 underline">
                        {c.name}
                      </Link>
                    </td>
                    <td class="whitespace-nowrap font-mono text-xs">
                      {c.document ? (
                        <>
                          <span class="sr-only">{c.document_type} </span>
                          {c.document}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td class="whitespace-nowrap">{c.phone ?? '—'}</td>
                    <td class="break-all">{c.email ?? '—'}</td>
                    <td class="text-right tabular-nums">{c.purchases_count}</td>
                    <td class="whitespace-nowrap text-right tabular-nums">{formatBRL(c.total_spent)}</td>
                    <td class="whitespace-nowrap">{c.last_purchase_at ? formatDate(c.last_purchase_at, tz) : '—'}</td>
                    <td class="whitespace-nowrap text-right">
                      <div class="flex justify-end gap-1">
                        <Link href={`/clientes/${c.id}`} class="btn btn-sm" aria-label={`Compras de ${c.name}`}>
                          Compras
                        </Link>
                        <button type="button" class="btn btn-sm" onClick={() => setEditing(c)} aria-label={`Editar ${c.name}`}>
                          Editar
                        </button>
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
      <CustomerDialog
        open={editing !== undefined}
        customer={editing ?? null}
        onClose={() => setEditing(undefined)}
        onSaved={(c, created) => {
          setEditing(undefined);
          setNotice(created ? `Cliente “${c.name}” cadastrado.` : `Cliente “${c.name}” atualizado.`);
        }}
      />
    </div>
  );
}
