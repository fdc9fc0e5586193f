import { useQuery } from '@tanstack/react-query';
import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import { useTimezone } from '../info/api';
import { Alert } from '../../components/ui';
import { formatDateTime } from '../../lib/dates';
import { reviewReasonLabel } from '../../lib/labels';
import { formatBRL } from '../../lib/money';
import { formatQuantityShort } from '../../lib/quantity';
import { reviewQuery, useMarkReviewed } from './api';

/**
 * "Para revisar": sales recorded from an offline terminal that the server flagged (sold past the
 * stock, into a closed cash session…), each until an administrator marks it reviewed, and the
 * products whose stock went below zero. Hidden when there is nothing.
 */
export function ReviewCard() {
  const review = useQuery(reviewQuery);
  const mark = useMarkReviewed();
  const timeZone = useTimezone();
  const [error, setError] = useState<string | null>(null);
  const data = review.data;

  if (review.isError) {
    return (
      <section class="card" aria-labelledby="review-title">
        <h2 id="review-title" class="mb-2 font-semibold">
          Para revisar
        </h2>
        <Alert>{review.error.message}</Alert>
      </section>
    );
  }
  if (!data || (data.sales.length === 0 && data.products.length === 0)) return null;

  async function reviewed(id: number) {
    setError(null);
    try {
      await mark.mutateAsync(id);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Não foi possível marcar a venda.');
    }
  }

  return (
    <section class="card border-amber-300" aria-labelledby="review-title" data-testid="review">
      <h2 id="review-title" class="mb-2 font-semibold">
        Para revisar
      </h2>
      {error && <Alert>{error}</Alert>}
      {data.sales.length > 0 && (
        <ul class="divide-y divide-slate-200 text-sm" aria-label="Vendas para revisar" data-testid="review-sales">
          {data.sales.map((s) => (
            <li key={s.id} class="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <Link href={`/vendas/${s.id}/recibo`} class="font-medium text-blue-800 underline">
                  Venda nº {s.id}
                </Link>{' '}
                · {formatDateTime(s.timestamp, timeZone)} · {s.user_username} · {formatBRL(s.total_amount)}
                <span class="block text-amber-900">{s.review_reasons.map(reviewReasonLabel).join('; ')}</span>
              </span>
              <button type="button" class="btn btn-sm" disabled={mark.isPending} onClick={() => void reviewed(s.id)}>
                Marcar como revisada
              </button>
            </li>
          ))}
        </ul>
      )}
      {data.products.length > 0 && (
        <>
          <h3 class="mt-3 text-sm font-semibold">Estoque negativo</h3>
          <ul class="divide-y divide-slate-200 text-sm" aria-label="Produtos com estoque negativo" data-testid="review-products">
            {data.products.map((p) => (
              <li key={p.id} class="flex justify-between gap-2 py-1.5">
                <Link href={`/produtos/${p.id}/movimentos`} class="text-blue-800 underline">
                  {p.name}
                </Link>
                <span class="font-semibold tabular-nums text-red-800">{formatQuantityShort(p.stock, p.unit)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
