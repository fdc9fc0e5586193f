import { Link } from 'wouter';
import type { Sale } from '../../api/types';
import { formatBRL } from '../../lib/money';

/** The sale just made: its number, the change in big digits, the receipt. Stays until the next one. */
export function LastSale({ sale, onPrint, printing }: { sale: Sale; onPrint: () => void; printing: boolean }) {
  return (
    <section aria-label="Última venda" class="card flex flex-wrap items-center justify-between gap-3 border-green-300 bg-green-50" data-testid="last-sale">
      <div>
        <p class="text-sm font-semibold">Venda nº {sale.id}</p>
        <p class="text-sm tabular-nums">Total {formatBRL(sale.total_amount)}</p>
        {sale.customer && <p class="text-sm">Cliente: {sale.customer.name}</p>}
      </div>
      <div class="text-right">
        <p class="text-xs text-slate-700">Troco</p>
        <p class="text-4xl font-extrabold tabular-nums text-green-900" data-testid="last-change">
          {formatBRL(sale.change)}
        </p>
      </div>
      <div class="flex gap-2">
        <Link href={`/vendas/${sale.id}/recibo`} class="btn">
          Recibo
        </Link>
        <button type="button" class="btn" onClick={onPrint} disabled={printing}>
          {printing ? 'Imprimindo…' : 'Imprimir recibo'}
        </button>
      </div>
    </section>
  );
}
