// /caixa — the operator's cash register: open it with the float, suprimentos and sangrias,
// close it with a blind count (what was counted is typed without seeing what the system
// expects; the difference shows afterwards). Administrators also see every session. With several
// stores, the cash opens in the store this computer sells in (the PDV's choice) and the list
// shows and filters by store. Where the store has registered terminals, the cash opens at one of
// them (remembered on this computer), or under a name typed.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import type { CashMovementType, CashSession } from '../../api/types';
import { useSession, useTitle } from '../../app/hooks';
import { IdSelect } from '../../components/IdSelect';
import { Alert, Dialog, Empty, Loading, Pagination } from '../../components/ui';
import { formatDateTime, type Period, periodError, periodParams } from '../../lib/dates';
import { centsToApi, formatBRL, formatCents, parseMoneyInput } from '../../lib/money';
import { usePaymentLabel, useTimezone } from '../info/api';
import { useOutbox } from '../pdv/api';
import { terminalsQuery, useStoreChoice, useStores } from '../stores/api';
import { cashQueries, useCashMovement, useCloseCash, useCurrentCash, useOpenCash } from './api';

const TERMINAL_KEY = 'sv.terminal';
const TERMINAL_ID_KEY = 'sv.terminal_id';

const errorText = (e: unknown, fallback: string) => (e instanceof Error ? e.message : fallback);

/** "sobra R$ 2,00" / "falta R$ 1,50" / "sem diferença". */
export function differenceText(difference: number): string {
  if (difference > 0) return `sobra ${formatBRL(difference)}`;
  if (difference < 0) return `falta ${formatBRL(-difference)}`;
  return 'sem diferença';
}

export default function CashPage() {
  useTitle('Caixa');
  const isAdmin = useSession()?.user.role === 'admin';
  const current = useCurrentCash();
  const tz = useTimezone();
  const [closed, setClosed] = useState<CashSession | null>(null);

  return (
    <div class="space-y-4">
      <h1 class="page-title">Caixa</h1>
      {closed && <ClosedResult session={closed} timeZone={tz} onDismiss={() => setClosed(null)} />}
      {current.isPending && <Loading />}
      {current.isError && <Alert>{current.error.message}</Alert>}
      {current.isSuccess && current.data === null && <OpenForm />}
      {current.data && <OpenSession session={current.data} timeZone={tz} onClosed={setClosed} />}
      {isAdmin && <SessionList timeZone={tz} />}
    </div>
  );
}

function OpenForm() {
  const [float, setFloat] = useState('');
  const [terminal, setTerminal] = useState(() => localStorage.getItem(TERMINAL_KEY) ?? '');
  const [error, setError] = useState<string | null>(null);
  const open = useOpenCash();
  const place = useStoreChoice();
  const registered = (useQuery(terminalsQuery).data ?? []).filter((t) => t.active && t.store_id === place.shows);
  const [terminalId, setTerminalId] = useState(() => localStorage.getItem(TERMINAL_ID_KEY) ?? '');
  const atTerminal = registered.find((t) => String(t.id) === terminalId);

  async function submit(e: Event) {
    e.preventDefault();
    const cents = float.trim() === '' ? 0 : parseMoneyInput(float);
    if (cents === null) {
      setError('Valor inválido para o fundo de troco.');
      return;
    }
    setError(null);
    try {
      const t = terminal.trim();
      if (t && !atTerminal) localStorage.setItem(TERMINAL_KEY, t);
      if (registered.length > 0) localStorage.setItem(TERMINAL_ID_KEY, atTerminal ? String(atTerminal.id) : '');
      const where = atTerminal ? { terminal_id: atTerminal.id } : t ? { terminal: t } : {};
      await open.mutateAsync({ opening_float: centsToApi(cents), ...where, ...(place.store ? { store_id: place.store.id } : {}) });
    } catch (err) {
      setError(errorText(err, 'Não foi possível abrir o caixa.'));
    }
  }

  return (
    <section class="card max-w-xl" aria-labelledby="open-title">
      <h2 id="open-title" class="mb-1 text-lg font-bold">
        Abrir o caixa
      </h2>
      <p class="mb-3 text-sm text-slate-700">O caixa está fechado. Conte o dinheiro da gaveta (o fundo de troco) e abra o caixa.</p>
      <form onSubmit={submit} class="grid gap-3 sm:grid-cols-2" noValidate>
        <div>
          <label class="label" htmlFor="opening-float">
            Fundo de troco (R$)
          </label>
          <input
            id="opening-float"
            class="input"
            inputMode="decimal"
            placeholder="0,00"
            autoComplete="off"
            autoFocus
            value={float}
            onInput={(e) => setFloat(e.currentTarget.value)}
          />
        </div>
        {registered.length > 0 && (
          <IdSelect
            id="terminal-id"
            label="Terminal"
            all="Outro (digitar o nome)"
            options={registered}
            value={atTerminal ? String(atTerminal.id) : ''}
            onChange={setTerminalId}
          />
        )}
        {!atTerminal && (
          <div>
            <label class="label" htmlFor="terminal">
              {registered.length > 0 ? 'Nome do terminal (opcional)' : 'Terminal (opcional)'}
            </label>
            <input id="terminal" class="input" placeholder="Caixa 1" value={terminal} onInput={(e) => setTerminal(e.currentTarget.value)} />
          </div>
        )}
        {place.store && (
          <IdSelect id="cash-store" label="Loja" options={place.stores} value={String(place.store.id)} onChange={(v) => place.choose(Number(v))} hint="A mesma do PDV neste computador." />
        )}
        {error && (
          <div class="sm:col-span-2">
            <Alert>{error}</Alert>
          </div>
        )}
        <div class="sm:col-span-2">
          <button type="submit" class="btn btn-primary" disabled={open.isPending}>
            {open.isPending ? 'Abrindo…' : 'Abrir caixa'}
          </button>
        </div>
      </form>
    </section>
  );
}

function OpenSession({ session, timeZone, onClosed }: { session: CashSession; timeZone: string; onClosed: (s: CashSession) => void }) {
  const stores = useStores();
  return (
    <div class="grid gap-4 lg:grid-cols-2">
      <section class="card lg:col-span-2" aria-labelledby="current-title" data-testid="cash-current">
        <h2 id="current-title" class="text-lg font-bold">
          Caixa nº {session.id} <span class="badge ml-1 bg-green-100 align-middle text-green-900">aberto</span>
        </h2>
        <dl class="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
          <div>
            <dt class="text-slate-600">Operador</dt>
            <dd>{session.user_username}</dd>
          </div>
          <div>
            <dt class="text-slate-600">Aberto em</dt>
            <dd>{formatDateTime(session.opened_at, timeZone)}</dd>
          </div>
          <div>
            <dt class="text-slate-600">Fundo de troco</dt>
            <dd class="tabular-nums">{formatBRL(session.opening_float)}</dd>
          </div>
          {stores.several && (
            <div>
              <dt class="text-slate-600">Loja</dt>
              <dd>{stores.name(session.store_id)}</dd>
            </div>
          )}
          {session.terminal && (
            <div>
              <dt class="text-slate-600">Terminal</dt>
              <dd>{session.terminal}</dd>
            </div>
          )}
        </dl>
      </section>
      <MovementForm session={session} />
      <CloseForm session={session} onClosed={onClosed} />
    </div>
  );
}

function MovementForm({ session }: { session: CashSession }) {
  const [type, setType] = useState<CashMovementType>('sangria');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const move = useCashMovement();

  async function submit(e: Event) {
    e.preventDefault();
    const cents = parseMoneyInput(amount);
    if (cents === null || cents <= 0) {
      setMessage({ kind: 'error', text: 'Informe um valor maior que zero.' });
      return;
    }
    if (!reason.trim()) {
      setMessage({ kind: 'error', text: 'Informe o motivo.' });
      return;
    }
    try {
      await move.mutateAsync({ id: session.id, type, amount: centsToApi(cents), reason: reason.trim() });
      setMessage({ kind: 'success', text: type === 'sangria' ? `Sangria de ${formatCents(cents)} registrada.` : `Suprimento de ${formatCents(cents)} registrado.` });
      setAmount('');
      setReason('');
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, 'Não foi possível registrar.') });
    }
  }

  return (
    <section class="card" aria-labelledby="movement-title">
      <h2 id="movement-title" class="mb-1 text-lg font-bold">
        Suprimento ou sangria
      </h2>
      <p class="mb-3 text-sm text-slate-700">Suprimento: dinheiro posto na gaveta. Sangria: dinheiro retirado (para o cofre, um pagamento).</p>
      <form onSubmit={submit} class="space-y-3" noValidate>
        <fieldset>
          <legend class="label">Tipo</legend>
          <div class="flex gap-4 text-sm">
            {(['sangria', 'suprimento'] as const).map((t) => (
              <label key={t} class="flex items-center gap-1.5">
                <input type="radio" name="movement-type" value={t} checked={type === t} onChange={() => setType(t)} />
                {t === 'sangria' ? 'Sangria' : 'Suprimento'}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="grid gap-3 sm:grid-cols-2">
          <div>
            <label class="label" htmlFor="movement-amount">
              Valor (R$)
            </label>
            <input id="movement-amount" class="input" inputMode="decimal" autoComplete="off" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          </div>
          <div>
            <label class="label" htmlFor="movement-reason">
              Motivo
            </label>
            <input id="movement-reason" class="input" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
        </div>
        {message && <Alert kind={message.kind}>{message.text}</Alert>}
        <button type="submit" class="btn" disabled={move.isPending}>
          {move.isPending ? 'Registrando…' : 'Registrar'}
        </button>
      </form>
    </section>
  );
}

/** Why the cash cannot be closed yet: sales made offline at this terminal still on their way
 * (the count would miss their cash). */
export function waitingSalesText(n: number): string {
  const sales = n === 1 ? '1 venda deste terminal aguardando' : `${n} vendas deste terminal aguardando`;
  return `Há ${sales} envio ao servidor. Feche o caixa depois que ${n === 1 ? 'ela for enviada' : 'elas forem enviadas'} (o PDV as envia assim que o servidor responde; a lista está no PDV).`;
}

function CloseForm({ session, onClosed }: { session: CashSession; onClosed: (s: CashSession) => void }) {
  const [counted, setCounted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = useCloseCash();
  const outbox = useOutbox();
  const waiting = outbox.waiting.length;

  async function submit(e: Event) {
    e.preventDefault();
    if (!outbox.loaded || waiting > 0) return;
    const cents = parseMoneyInput(counted);
    if (cents === null) {
      setError('Informe o dinheiro contado na gaveta (0 se estiver vazia).');
      return;
    }
    setError(null);
    try {
      onClosed(await close.mutateAsync({ id: session.id, counted: centsToApi(cents) }));
      setCounted('');
    } catch (err) {
      setError(errorText(err, 'Não foi possível fechar o caixa.'));
    }
  }

  return (
    <section class="card" aria-labelledby="close-title">
      <h2 id="close-title" class="mb-1 text-lg font-bold">
        Fechar o caixa
      </h2>
      <p class="mb-3 text-sm text-slate-700">
        Conte o dinheiro da gaveta e digite o valor. O valor esperado pelo sistema só aparece depois do fechamento.
      </p>
      <form onSubmit={submit} class="space-y-3" noValidate>
        <div>
          <label class="label" htmlFor="counted">
            Dinheiro contado (R$)
          </label>
          <input id="counted" class="input" inputMode="decimal" autoComplete="off" value={counted} onInput={(e) => setCounted(e.currentTarget.value)} />
        </div>
        {waiting > 0 && <Alert>{waitingSalesText(waiting)}</Alert>}
        {error && <Alert>{error}</Alert>}
        <button type="submit" class="btn btn-danger" disabled={close.isPending || !outbox.loaded || waiting > 0}>
          {close.isPending ? 'Fechando…' : 'Fechar caixa'}
        </button>
      </form>
    </section>
  );
}

function ClosedResult({ session, timeZone, onDismiss }: { session: CashSession; timeZone: string; onDismiss: () => void }) {
  const difference = session.difference ?? 0;
  return (
    <section class="card border-blue-300" aria-labelledby="closed-title" data-testid="cash-closed">
      <div class="flex items-start justify-between gap-2">
        <h2 id="closed-title" class="text-lg font-bold">
          Caixa nº {session.id} fechado
        </h2>
        <button type="button" class="btn btn-sm" onClick={onDismiss}>
          Ok
        </button>
      </div>
      <p class="text-sm text-slate-700">{session.closed_at ? formatDateTime(session.closed_at, timeZone) : ''}</p>
      <dl class="mt-2 grid grid-cols-3 gap-2">
        <div>
          <dt class="text-sm text-slate-600">Esperado</dt>
          <dd class="text-xl font-bold tabular-nums" data-testid="cash-expected">
            {session.expected !== null ? formatBRL(session.expected) : '—'}
          </dd>
        </div>
        <div>
          <dt class="text-sm text-slate-600">Contado</dt>
          <dd class="text-xl font-bold tabular-nums" data-testid="cash-counted">
            {session.counted !== null ? formatBRL(session.counted) : '—'}
          </dd>
        </div>
        <div>
          <dt class="text-sm text-slate-600">Diferença</dt>
          <dd class={`text-xl font-bold tabular-nums ${difference < 0 ? 'text-red-800' : difference > 0 ? 'text-amber-800' : 'text-green-800'}`} data-testid="cash-difference">
            {session.difference !== null ? formatBRL(difference) : '—'}
          </dd>
          <dd class="text-xs text-slate-700">{session.difference !== null ? differenceText(difference) : ''}</dd>
        </div>
      </dl>
    </section>
  );
}

function SessionList({ timeZone }: { timeZone: string }) {
  const [period, setPeriod] = useState<Period>({ start: '', end: '' });
  const [page, setPage] = useState(1);
  const [detail, setDetail] = useState<number | null>(null);
  const [storeId, setStoreId] = useState('');
  const stores = useStores();
  const invalid = periodError(period);
  function changePeriod(p: Period) {
    setPeriod(p);
    setPage(1);
  }
  const filters = { ...periodParams(period), ...(stores.several && storeId ? { store_id: Number(storeId) } : {}), page };
  const list = useQuery({ ...cashQueries.list(filters), enabled: !invalid, placeholderData: keepPreviousData });
  const data = list.data;

  return (
    <section class="card space-y-3" aria-labelledby="sessions-title">
      <h2 id="sessions-title" class="text-lg font-bold">
        Caixas
      </h2>
      <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label class="label" htmlFor="cash-start">
            De
          </label>
          <input id="cash-start" type="datetime-local" class="input" value={period.start} onChange={(e) => changePeriod({ ...period, start: e.currentTarget.value })} />
        </div>
        <div>
          <label class="label" htmlFor="cash-end">
            Até
          </label>
          <input id="cash-end" type="datetime-local" class="input" value={period.end} onChange={(e) => changePeriod({ ...period, end: e.currentTarget.value })} />
        </div>
        {stores.several && (
          <IdSelect
            id="cash-store-filter"
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
      </div>
      {invalid && <Alert>{invalid}</Alert>}
      {list.isPending && !invalid && <Loading />}
      {list.isError && <Alert>{list.error.message}</Alert>}
      {data && data.cash_sessions.length === 0 && <Empty>Nenhum caixa neste período.</Empty>}
      {data && data.cash_sessions.length > 0 && (
        <div class="overflow-x-auto">
          <table class="table" data-testid="cash-sessions">
            <thead>
              <tr>
                <th scope="col">Nº</th>
                {stores.several && <th scope="col">Loja</th>}
                <th scope="col">Operador</th>
                <th scope="col">Aberto em</th>
                <th scope="col">Fechado em</th>
                <th scope="col" class="text-right">Fundo</th>
                <th scope="col" class="text-right">Esperado</th>
                <th scope="col" class="text-right">Contado</th>
                <th scope="col" class="text-right">Diferença</th>
                <th scope="col">
                  <span class="sr-only">Ações</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.cash_sessions.map((s) => (
                <tr key={s.id}>
                  <td class="tabular-nums">{s.id}</td>
                  {stores.several && <td>{stores.name(s.store_id)}</td>}
                  <td>
                    {s.user_username}
                    {s.terminal && <span class="ml-1 text-xs text-slate-600">({s.terminal})</span>}
                  </td>
                  <td class="whitespace-nowrap">{formatDateTime(s.opened_at, timeZone)}</td>
                  <td class="whitespace-nowrap">
                    {s.closed_at ? formatDateTime(s.closed_at, timeZone) : <span class="badge bg-green-100 text-green-900">aberto</span>}
                  </td>
                  <td class="text-right tabular-nums">{formatBRL(s.opening_float)}</td>
                  <td class="text-right tabular-nums">{s.expected !== null ? formatBRL(s.expected) : '—'}</td>
                  <td class="text-right tabular-nums">{s.counted !== null ? formatBRL(s.counted) : '—'}</td>
                  <td class={`text-right tabular-nums ${(s.difference ?? 0) < 0 ? 'text-red-800' : ''}`}>
                    {s.difference !== null ? formatBRL(s.difference) : '—'}
                  </td>
                  <td class="text-right">
                    <button type="button" class="btn btn-sm" onClick={() => setDetail(s.id)} aria-label={`Detalhes do caixa ${s.id}`}>
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
      <SessionDetail id={detail} timeZone={timeZone} onClose={() => setDetail(null)} />
    </section>
  );
}

function SessionDetail({ id, timeZone, onClose }: { id: number | null; timeZone: string; onClose: () => void }) {
  const q = useQuery(cashQueries.detail(id));
  const label = usePaymentLabel();
  const r = q.data;
  const s = r?.session;
  return (
    <Dialog open={id !== null} title={`Caixa nº ${id ?? ''}`} onClose={onClose} wide>
      {q.isPending && <Loading />}
      {q.isError && <Alert>{q.error.message}</Alert>}
      {r && s && (
        <div class="space-y-3 text-sm" data-testid="cash-detail">
          <p>
            {s.user_username}
            {s.terminal ? ` (${s.terminal})` : ''} · aberto em {formatDateTime(s.opened_at, timeZone)}
            {s.closed_at
              ? ` · fechado em ${formatDateTime(s.closed_at, timeZone)}${s.closed_by_username ? ` por ${s.closed_by_username}` : ''}`
              : ' · aberto'}
          </p>
          <p>
            {r.sales_count} venda(s){r.cancelled_count > 0 ? `, ${r.cancelled_count} cancelada(s)` : ''} · suprimentos {formatBRL(r.suprimentos)} · sangrias{' '}
            {formatBRL(r.sangrias)} · devoluções em dinheiro {formatBRL(r.cash_refunds)}
          </p>
          {r.payments.length > 0 && (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Forma de pagamento</th>
                  <th scope="col" class="text-right">Vendas</th>
                  <th scope="col" class="text-right">Total</th>
                </tr>
              </thead>
              <tbody>
                {r.payments.map((p) => (
                  <tr key={p.method}>
                    <td>{label(p.method)}</td>
                    <td class="text-right tabular-nums">{p.count}</td>
                    <td class="text-right tabular-nums">{formatBRL(p.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.movements.length > 0 && (
            <ul class="list-disc pl-5">
              {r.movements.map((m) => (
                <li key={m.id}>
                  {m.type === 'sangria' ? 'Sangria' : 'Suprimento'} {formatBRL(m.amount)}
                  {m.reason ? ` · ${m.reason}` : ''} · {m.user_username} · {formatDateTime(m.created_at, timeZone)}
                </li>
              ))}
            </ul>
          )}
          <p>
            Fundo {formatBRL(s.opening_float)} · esperado {s.expected !== null ? formatBRL(s.expected) : '—'} · contado{' '}
            {s.counted !== null ? formatBRL(s.counted) : '—'} · diferença {s.difference !== null ? formatBRL(s.difference) : '—'}
          </p>
        </div>
      )}
    </Dialog>
  );
}
