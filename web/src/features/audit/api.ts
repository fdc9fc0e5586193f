// The audit log (administrators): who did what and when, newest first, and the check of its hash
// chain. Reading it changes nothing; every change elsewhere adds to it, so its pages are always
// asked again when shown (staleTime 0) rather than named by every mutation.
import { keepPreviousData, queryOptions, useMutation } from '@tanstack/react-query';
import { request } from '../../api/client';
import { rootKeys } from '../../api/keys';
import type { AuditCheck, AuditPage, AuditQuery } from '../../api/types';

/** `action`: an exact action (`produto.alterado`) or a whole area (`produto`); dates as
 * `AAAA-MM-DD` (the whole day, in the business zone). */
export type AuditFilters = AuditQuery;

export const listAudit = (f: AuditFilters, signal?: AbortSignal) => request<AuditPage>('/api/audit', { query: { ...f }, signal });

/** Walks the whole chain, from the first entry to the last. */
export const checkAudit = () => request<AuditCheck>('/api/audit/check');

export const auditKeys = {
  all: rootKeys.audit,
  list: (f: AuditFilters) => [...rootKeys.audit, 'list', f] as const,
};

export const auditQueries = {
  list: (f: AuditFilters) =>
    queryOptions({ queryKey: auditKeys.list(f), queryFn: ({ signal }) => listAudit(f, signal), staleTime: 0, placeholderData: keepPreviousData }),
};

/** "Verificar integridade": on demand, and it changes nothing the UI caches. */
export function useCheckAudit() {
  return useMutation({ mutationFn: checkAudit });
}
