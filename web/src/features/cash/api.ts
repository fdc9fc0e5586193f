// The cash register: a session per operator, opened with a float, with suprimentos (cash put
// in) and sangrias (cash taken out), closed with a blind count. Sales, cancellations and returns
// change what a session expects (sales/api.ts declares it).
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import { withOfflineCopy } from '../../api/offlineCopy';
import { getSession } from '../../app/session';
import type { CashMovement, CashMovementType, CashSession, CashSessionPage, CashSessionReport } from '../../api/types';

export interface CashFilters {
  start_date?: string;
  end_date?: string;
  user_id?: number;
  store_id?: number;
  page?: number;
}

/** The caller's open session, or null when there is none (404). */
export async function getCurrentSession(): Promise<CashSession | null> {
  try {
    return await request<CashSession>('/api/cash-sessions/current');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const openSession = (body: { opening_float: string; terminal?: string; store_id?: number }) =>
  request<CashSession>('/api/cash-sessions', { method: 'POST', body });

export const addMovement = (id: number, body: { type: CashMovementType; amount: string; reason: string }) =>
  request<CashMovement>(`/api/cash-sessions/${id}/movements`, { method: 'POST', body });

export const closeSession = (id: number, body: { counted: string }) =>
  request<CashSession>(`/api/cash-sessions/${id}/close`, { method: 'POST', body });

export const listSessions = (f: CashFilters) => request<CashSessionPage>('/api/cash-sessions', { query: { ...f } });
export const getCashSession = (id: number) => request<CashSessionReport>(`/api/cash-sessions/${id}`);

export const cashKeys = {
  all: rootKeys.cash,
  current: () => [...rootKeys.cash, 'current'] as const,
  list: (f: CashFilters) => [...rootKeys.cash, 'list', f] as const,
  detail: (id: number | null) => [...rootKeys.cash, 'detail', id] as const,
};

/** The caller's session, kept on the terminal too (per user): a sale made offline names the
 * session that was open, and the PDV still shows it. */
const currentOrCopy = () => withOfflineCopy(`caixa.${getSession()?.user.id ?? 0}`, getCurrentSession)();

export const cashQueries = {
  current: () => queryOptions({ queryKey: cashKeys.current(), queryFn: currentOrCopy, staleTime: 10_000, retry: false }),
  list: (f: CashFilters) => queryOptions({ queryKey: cashKeys.list(f), queryFn: () => listSessions(f), staleTime: 0 }),
  detail: (id: number | null) =>
    queryOptions({ queryKey: cashKeys.detail(id), queryFn: () => getCashSession(id!), enabled: id !== null, staleTime: 0 }),
};

/** The caller's open session (null: closed; undefined: not known yet). */
export function useCurrentCash() {
  return useQuery(cashQueries.current());
}

/** Anything done to a session changes the sessions (current, list, detail). */
export const CASH_STALES = [rootKeys.cash] as const;

export function useOpenCash() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: openSession, onSuccess: () => void invalidate(qc, CASH_STALES) });
}

export function useCashMovement() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; type: CashMovementType; amount: string; reason: string }) => addMovement(id, body),
    onSuccess: () => void invalidate(qc, CASH_STALES),
  });
}

export function useCloseCash() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, counted }: { id: number; counted: string }) => closeSession(id, { counted }),
    onSuccess: () => void invalidate(qc, CASH_STALES),
  });
}
