// The dashboard's summary (GET /api/sales/reports/summary). Sales make it stale (sales/api.ts).
import { queryOptions } from '@tanstack/react-query';
import { request } from '../../api/client';
import { rootKeys } from '../../api/keys';
import type { Summary } from '../../api/types';

export const getSummary = () => request<Summary>('/api/sales/reports/summary');

export const summaryKeys = { all: rootKeys.summary };

export const summaryQuery = queryOptions({ queryKey: summaryKeys.all, queryFn: getSummary, staleTime: 0 });
