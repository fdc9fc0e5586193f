// /auditoria (administrators) — the audit log: who did what, when, from where, and what changed;
// filtered by user, by area or action, by day and (with several stores) by the store it happened
// in; "Verificar integridade" walks its hash chain.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import type { AuditEntry } from '../../api/types';
import { useTitle } from '../../app/hooks';
import { PeriodFields } from '../../components/PeriodFields';
import { Alert, Empty, Loading, Pagination } from '../../components/ui';
import { IdSelect, UserSelect } from '../../components/IdSelect';
import { formatDateTime, periodError } from '../../lib/dates';
import { useTimezone } from '../info/api';
import { useStores } from '../stores/api';
import { usersQuery } from '../users/api';
import { type AuditFilters, auditQueries, useCheckAudit } from './api';
import { actionGroups, actionLabel, checkText, detailLines, detailText, entityHref, entityLabel, who } from './format';

const PER_PAGE = 50;

interface Filters {
  user: string;
  store: string;
  action: string;
  start: string;
  end: string;
}

const NO_FILTERS: Filters = { user: '', store: '', action: '', start: '', end: '' };

export default function AuditPage() {
  useTitle('Auditoria');
  const tz = useTimezone();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const invalid = periodError(filters);
  const stores = useStores();
  const query = {
    page,
    per_page: PER_PAGE,
    ...(filters.user ? { user_id: Number(filters.user) } : {}),
    ...(filters.store && stores.several ? { store_id: Number(filters.store) } : {}),
    // The select offers only the actions and areas the server listed.
    ...(filters.action ? { action: filters.action as NonNullable<AuditFilters['action']> } : {}),
    ...(filters.start ? { start_date: filters.start } : {}),
    ...(filters.end ? { end_date: filters.end } : {}),
  };
  const log = useQuery({ ...auditQueries.list(query), enabled: !invalid });
  const users = useQuery(usersQuery);
  const check = useCheckAudit();
  const data = log.data;
  // The actions come with every page; until the first one arrives the filter lists none.
  const groups = actionGroups(data?.actions ?? []);

  function change(next: Partial<Filters>) {
    setFilters((f) => ({ ...f, ...next }));
    setPage(1);
  }

  const result = check.data ? checkText(check.data) : null;
  return (
    <div class="space-y-3">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h1 class="page-title">Auditoria</h1>
        <button type="button" class="btn" onClick={() => check.mutate()} disabled={check.isPending}>
          {check.isPending ? 'Verificando…' : 'Verificar integridade'}
        </button>
      </div>
      {result && (
        <div data-testid="audit-check">
          <Alert kind={result.kind}>{result.text}</Alert>
        </div>
      )}
      {check.isError && <Alert>{check.error.message}</Alert>}
      <section
        class={`card grid gap-3 sm:grid-cols-2 lg:items-end ${stores.several ? 'lg:grid-cols-[1fr_1fr_1.5fr_1fr_1fr_auto]' : 'lg:grid-cols-[1fr_1.5fr_1fr_1fr_auto]'}`}
        aria-label="Filtros"
      >
        <UserSelect id="audit-user" label="Quem" users={users.data} value={filters.user} onChange={(user) => change({ user })} />
        {stores.several && (
          <IdSelect id="audit-store" label="Loja" all="Todas" options={stores.stores} value={filters.store} onChange={(store) => change({ store })} />
        )}
        <div>
          <label class="label" htmlFor="audit-action">
            O quê
          </label>
          <select id="audit-action" class="input" value={filters.action} onChange={(e) => change({ action: e.currentTarget.value })}>
            <option value="">Todas as ações</option>
            {groups.map((g) => (
              <optgroup key={g.area} label={g.label}>
                <option value={g.area}>{g.label}: todas</option>
                {g.actions.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <PeriodFields idPrefix="audit" type="date" start={filters.start} end={filters.end} invalid={!!invalid} onChange={change} />
        <button type="button" class="btn" onClick={() => change(NO_FILTERS)}>
          Limpar
        </button>
        {invalid && (
          <div class="sm:col-span-2 lg:col-span-5">
            <Alert>{invalid}</Alert>
          </div>
        )}
      </section>
      <div class="card">
        {log.isPending && !invalid && <Loading />}
        {log.isError && <Alert>{log.error.message}</Alert>}
        {data && data.entries.length === 0 && <Empty>Nenhum registro com esses filtros.</Empty>}
        {data && data.entries.length > 0 && (
          <div class="overflow-x-auto">
            <table class="table" data-testid="audit-table" aria-busy={log.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Quando</th>
                  <th scope="col">Quem</th>
                  <th scope="col">Ação</th>
                  <th scope="col">Alvo</th>
                  {stores.several && <th scope="col">Loja</th>}
                  <th scope="col">Endereço</th>
                  <th scope="col">Detalhes</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <EntryRow key={e.id} entry={e} timeZone={tz} store={stores.several ? (e.store_id === null ? '—' : stores.name(e.store_id)) : null} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && (
          <div data-testid="audit-total">
            <Pagination page={data.current_page} pages={data.pages} total={data.total} onPage={setPage} />
          </div>
        )}
      </div>
    </div>
  );
}

/** `store`: the name of the store it happened in, when the shop has several (null: no column). */
function EntryRow({ entry, timeZone, store }: { entry: AuditEntry; timeZone: string; store: string | null }) {
  const by = who(entry);
  const href = entityHref(entry);
  const lines = detailLines(entry.details);
  return (
    <tr data-entry-id={entry.id} data-action={entry.action} class="align-top">
      <td class="whitespace-nowrap tabular-nums" title={entry.created_at}>
        {formatDateTime(entry.created_at, timeZone)}
      </td>
      <td>
        {by.name}
        {by.note && <span class="block text-xs text-slate-600"> {by.note}</span>}
      </td>
      <td class="whitespace-nowrap">
        {actionLabel(entry.action)}
        <span class="block font-mono text-xs text-slate-600"> {entry.action}</span>
      </td>
      <td class="whitespace-nowrap">
        {href ? (
          <Link href={href} class="text-blue-800 underline">
            {entityLabel(entry)}
          </Link>
        ) : (
          entityLabel(entry)
        )}
      </td>
      {store !== null && <td class="whitespace-nowrap">{store}</td>}
      <td class="whitespace-nowrap font-mono text-xs">{entry.client ?? '—'}</td>
      <td class="text-xs">
        {lines.length === 0 ? (
          '—'
        ) : (
          <ul class="space-y-0.5" data-testid="audit-details">
            {lines.map((l) => (
              <li key={l.field} class="break-words">
                {detailText(l)}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
