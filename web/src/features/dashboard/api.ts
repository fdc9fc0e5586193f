// The dashboard's summary (GET /api/sales/reports/summary) and what an administrator should look
// at (GET /api/review: sales that arrived from an offline terminal flagged, and stocks below
// zero). Sales make both stale (sales/api.ts).
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { Review, Sale, Summary } from '../../api/types';

/** Of one store, or of all (none). */
export const getSummary = (storeId: number | null) => request<Summary>('/api/sales/reports/summary', { query: { store_id: storeId ?? undefined } });
export const getReview = () => request<Review>('/api/review');
export const markReviewed = (saleId: number) => request<Sale>(`/api/sales/${saleId}/review`, { method: 'POST' });

export const summaryKeys = { all: rootKeys.summary, of: (storeId: number | null) => [...rootKeys.summary, storeId] as const };
export const reviewKeys = { all: rootKeys.review };

export const summaryQuery = (storeId: number | null) =>
  queryOptions({ queryKey: summaryKeys.of(storeId), queryFn: () => getSummary(storeId), staleTime: 0, placeholderData: keepPreviousData });
export const reviewQuery = queryOptions({ queryKey: reviewKeys.all, queryFn: getReview, staleTime: 0 });

/** A sale reviewed leaves the list, and the sales show who reviewed it. */
export const REVIEW_STALES = [rootKeys.review, rootKeys.sales] as const;

export function useMarkReviewed() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: markReviewed, onSuccess: () => void invalidate(qc, REVIEW_STALES) });
}
