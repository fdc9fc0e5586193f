import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../../../components/ui';
import { formatDateTime } from '../../../lib/dates';
import { formatCents } from '../../../lib/money';
import { pricedCart } from '../cart';
import { discardRefused, type PendingSale, type RefusedSale } from './outbox';
import type { OutboxState } from './useOutbox';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Above the PDV: whether the server can be reached, how many sales this terminal keeps for it
 * (and which), and the ones it refused, each with the server's reason, until someone discards
 * them. Nothing when the server answers and nothing is kept.
 */
export function OutboxPanel({ online, outbox, timeZone, onSendNow }: { online: boolean; outbox: OutboxState; timeZone: string; onSendNow: () => void }) {
  const { waiting, refused } = outbox;
  const [discarding, setDiscarding] = useState<RefusedSale | null>(null);
  const [busy, setBusy] = useState(false);
  if (online && waiting.length === 0 && refused.length === 0) return null;

  async function discard() {
    if (!discarding) return;
    setBusy(true);
    try {
      await discardRefused(discarding.client_id);
    } finally {
      setBusy(false);
      setDiscarding(null);
    }
  }

  const when = (s: PendingSale) => formatDateTime(s.made_at, timeZone);
  return (
    <section aria-label="Vendas guardadas neste terminal" class="w-full space-y-2 text-sm" data-testid="outbox">
      {!online && (
        <p role="status" class="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="offline-status">
          <span class="badge mr-1 bg-amber-200 text-amber-950">Sem conexão com o servidor</span>
          O PDV continua vendendo: as vendas ficam guardadas neste terminal e são enviadas quando o servidor voltar.
        </p>
      )}
      {waiting.length > 0 && (
        <div class="rounded-md border border-slate-300 bg-white px-3 py-2">
          <div class="flex flex-wrap items-center gap-2">
            <span class="font-semibold" data-testid="outbox-count">
              {plural(waiting.length, 'venda aguardando envio', 'vendas aguardando envio')}
            </span>
            {online && <span class="text-slate-700">(enviando ao servidor…)</span>}
            <button type="button" class="btn btn-sm ml-auto" onClick={onSendNow}>
              Enviar agora
            </button>
          </div>
          <details>
            <summary class="cursor-pointer text-blue-800 underline">Ver as vendas guardadas</summary>
            <ul class="mt-2 divide-y divide-slate-200" data-testid="outbox-list">
              {waiting.map((s) => (
                <li key={s.client_id} class="flex flex-wrap justify-between gap-2 py-1">
                  <span>
                    {when(s)} · {s.seller.username} · {plural(s.cart.items.length, 'item', 'itens')}
                  </span>
                  <span class="font-semibold tabular-nums">{formatCents(pricedCart(s.cart).total)}</span>
                  {s.forbidden_for !== undefined && (
                    <span class="w-full text-amber-900" data-testid="outbox-forbidden">
                      aguardando {s.seller.username} ou um administrador entrar
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </details>
        </div>
      )}
      {refused.length > 0 && (
        <div role="alert" class="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-950" data-testid="refused">
          <p class="font-semibold">{plural(refused.length, 'venda recusada pelo servidor', 'vendas recusadas pelo servidor')}: não foram registradas.</p>
          <ul class="mt-1 divide-y divide-red-200" data-testid="refused-list">
            {refused.map((s) => (
              <li key={s.client_id} class="flex flex-wrap items-center justify-between gap-2 py-1">
                <span>
                  {when(s)} · {s.seller.username} · {formatCents(pricedCart(s.cart).total)}: {s.refusal.message}
                </span>
                <button type="button" class="btn btn-sm" onClick={() => setDiscarding(s)}>
                  Descartar
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ConfirmDialog
        open={discarding !== null}
        title="Descartar a venda recusada"
        message={
          discarding &&
          `A venda de ${formatCents(pricedCart(discarding.cart).total)} feita em ${when(discarding)} por ${discarding.seller.username} não será registrada. Registre-a de novo no PDV se ela aconteceu.`
        }
        confirmLabel="Descartar"
        busy={busy}
        onConfirm={() => void discard()}
        onClose={() => setDiscarding(null)}
      />
    </section>
  );
}
