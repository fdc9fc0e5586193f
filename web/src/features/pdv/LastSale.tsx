import { useState } from 'preact/hooks';
import { Link } from 'wouter';
import type { Sale } from '../../api/types';
import { Receipt, storedFormat } from '../../components/Receipt';
import { Dialog } from '../../components/ui';
import { formatBRL } from '../../lib/money';
import { usePaymentLabel, useTimezone } from '../info/api';
import { useSettings } from '../settings/api';
import { useStores } from '../stores/api';

/**
 * The sale just made: its number, the change in big digits, the receipt. Stays until the next one.
 * A sale kept on this terminal (`kept`) has no number yet: its receipt is shown here, from what
 * the terminal has.
 */
export function LastSale({ sale, kept = false, onPrint, printing }: { sale: Sale; kept?: boolean; onPrint: () => void; printing: boolean }) {
  const [showing, setShowing] = useState(false);
  return (
    <section
      aria-label="Última venda"
      class={`card flex flex-wrap items-center justify-between gap-3 ${kept ? 'border-amber-300 bg-amber-50' : 'border-green-300 bg-green-50'}`}
      data-testid="last-sale"
    >
      <div>
        <p class="text-sm font-semibold">{kept ? 'Venda guardada neste terminal' : `Venda nº ${sale.id}`}</p>
        {kept && <p class="text-xs text-amber-900">Será enviada quando o servidor voltar; o número vem dele.</p>}
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
        {kept ? (
          <button type="button" class="btn" onClick={() => setShowing(true)}>
            Recibo
          </button>
        ) : (
          <Link href={`/vendas/${sale.id}/recibo`} class="btn">
            Recibo
          </Link>
        )}
        <button type="button" class="btn" onClick={onPrint} disabled={printing}>
          {printing ? 'Imprimindo…' : 'Imprimir recibo'}
        </button>
      </div>
      {kept && <KeptReceipt sale={sale} open={showing} onClose={() => setShowing(false)} />}
    </section>
  );
}

function KeptReceipt({ sale, open, onClose }: { sale: Sale; open: boolean; onClose: () => void }) {
  const settings = useSettings(sale.store_id);
  const timeZone = useTimezone();
  const label = usePaymentLabel();
  const { several } = useStores();
  return (
    <Dialog open={open} title="Recibo da venda guardada" onClose={onClose}>
      <div data-testid="kept-receipt">
        <Receipt sale={sale} settings={settings} timeZone={timeZone} paymentLabel={label} format={storedFormat()} showStore={several} />
      </div>
    </Dialog>
  );
}
