// GET /api/info: the server's name, version, business time zone and payment methods. It changes
// only with a new server version, so it is asked once per page load.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback } from 'preact/hooks';
import { request } from '../../api/client';
import { rootKeys } from '../../api/keys';
import { withOfflineCopy } from '../../api/offlineCopy';
import type { Info, PaymentMethod } from '../../api/types';
import { DEFAULT_TIMEZONE } from '../../lib/dates';

export const getInfo = () => request<Info>('/api/info');

/** Kept on the terminal too, so that an offline PDV still names the payment methods. */
export const infoQuery = queryOptions({ queryKey: rootKeys.info, queryFn: withOfflineCopy('info', getInfo), staleTime: Infinity, gcTime: Infinity });

/** The business time zone (São Paulo until the server answers). */
export function useTimezone(): string {
  return useQuery(infoQuery).data?.timezone ?? DEFAULT_TIMEZONE;
}

/**
 * The name people see for a payment method. The server owns these names (receipts and reports
 * use the same); until it answers, the method's own code is shown rather than a second copy of
 * the table that could drift from it.
 */
export function usePaymentLabel(): (method: PaymentMethod) => string {
  const methods = useQuery(infoQuery).data?.payment_methods;
  return useCallback((method: PaymentMethod) => methods?.find((m) => m.method === method)?.label ?? method, [methods]);
}
