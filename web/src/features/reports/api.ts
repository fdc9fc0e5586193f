// Sales reports (GET /api/reports/sales, administrators): the report as JSON for the page, and the
// same report as a spreadsheet to download. Sales, cancellations and returns make it stale
// (sales/api.ts); it is also refetched whenever the page opens (staleTime 0, as the summary).
import { queryOptions } from '@tanstack/react-query';
import { download, request } from '../../api/client';
import { rootKeys } from '../../api/keys';
import type { SalesReport, SalesReportQuery } from '../../api/types';

export type ExportFormat = 'csv' | 'xlsx';

export const getSalesReport = (q: SalesReportQuery, signal?: AbortSignal) =>
  request<SalesReport>('/api/reports/sales', { query: { ...q }, signal });

/** The same report as `relatorio-<grupo>-<data>.csv` (`;`, decimal comma, BOM) or `.xlsx`; the
 * server names the file, `fallbackName` is for a proxy that drops Content-Disposition. */
export const exportSalesReport = (q: SalesReportQuery, format: ExportFormat, fallbackName: string) =>
  download('/api/reports/sales', { ...q, format }, fallbackName);

export const reportKeys = {
  all: rootKeys.reports,
  sales: (q: SalesReportQuery) => [...rootKeys.reports, 'sales', q] as const,
};

export const reportQueries = {
  sales: (q: SalesReportQuery) =>
    queryOptions({ queryKey: reportKeys.sales(q), queryFn: ({ signal }) => getSalesReport(q, signal), staleTime: 0 }),
};
