// The administrator's actions on a sale in the history: cancel it (reason required) and take
// items back (up to what was sold and not yet returned, with the refund's method).
import { useState } from 'preact/hooks';
import type { PaymentMethod, Sale } from '../../api/types';
import { Alert, Dialog } from '../../components/ui';
import { formatBRL } from '../../lib/money';
import { useCancelSale, useReturnSale } from './api';
import { formatQuantityShort, fromMilli, isFractional, parseQuantityInput, toMilli } from '../../lib/quantity';

const REFUND_METHODS: PaymentMethod[] = ['dinheiro', 'debito', 'credito', 'pix', 'outro'];

interface ActionProps {
  onClose: () => void;
  onDone?: (message: string) => void;
}

export function CancelSaleDialog({ sale, ...props }: ActionProps & { sale: Sale | null }) {
  return (
    <Dialog open={sale !== null} title={`Cancelar venda nº ${sale?.id ?? ''}`} onClose={props.onClose}>
      {sale && <CancelForm key={sale.id} sale={sale} {...props} />}
    </Dialog>
  );
}

function CancelForm({ sale, onClose, onDone }: ActionProps & { sale: Sale }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const cancel = useCancelSale();

  async function submit(e: Event) {
    e.preventDefault();
    if (cancel.isPending) return;
    if (!reason.trim()) {
      setError('Informe o motivo do cancelamento.');
      return;
    }
    try {
      await cancel.mutateAsync({ id: sale.id, reason: reason.trim() });
      onDone?.(`Venda nº ${sale.id} cancelada.`);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Não foi possível cancelar a venda.');
    }
  }

  return (
        <form onSubmit={submit} class="space-y-3" noValidate>
          <p class="text-sm">
            A venda de {formatBRL(sale.total_amount)} sai de todos os totais e o estoque dos itens volta. Isto não pode ser desfeito.
          </p>
          <div>
            <label class="label" htmlFor="cancel-reason">
              Motivo *
            </label>
            <textarea
              id="cancel-reason"
              class="input"
              rows={2}
              value={reason}
              aria-invalid={error && !reason.trim() ? true : undefined}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </div>
          {error && <Alert>{error}</Alert>}
          <div class="flex justify-end gap-2">
            <button type="button" class="btn" onClick={onClose}>
              Voltar
            </button>
            <button type="submit" class="btn btn-danger" disabled={cancel.isPending}>
              {cancel.isPending ? 'Cancelando…' : 'Cancelar venda'}
            </button>
          </div>
        </form>
  );
}

type ReturnProps = ActionProps & { paymentLabel: (m: PaymentMethod) => string };

export function ReturnDialog({ sale, ...props }: ReturnProps & { sale: Sale | null }) {
  return (
    <Dialog open={sale !== null} title={`Devolução da venda nº ${sale?.id ?? ''}`} onClose={props.onClose} wide>
      {sale && <ReturnForm key={sale.id} sale={sale} {...props} />}
    </Dialog>
  );
}

function ReturnForm({ sale, paymentLabel, onClose, onDone }: ReturnProps & { sale: Sale }) {
  const [quantities, setQuantities] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<PaymentMethod>(sale.payments[0]?.method ?? sale.payment_method ?? 'dinheiro');
  const [error, setError] = useState<string | null>(null);
  const giveBack = useReturnSale();

  const rows = sale.items.map((i) => ({ item: i, available: fromMilli(toMilli(i.quantity) - toMilli(i.returned_quantity)) }));

  async function submit(e: Event) {
    e.preventDefault();
    if (giveBack.isPending) return;
    const items: { sale_item_id: number; quantity: number }[] = [];
    for (const { item, available } of rows) {
      const text = (quantities[item.id] ?? '').trim();
      if (!text) continue;
      const milli = parseQuantityInput(text, item.unit);
      if (milli === null || milli > toMilli(available)) {
        setError(`${item.product_name}: devolva de 0 a ${formatQuantityShort(available, item.unit)}.`);
        return;
      }
      if (milli > 0) items.push({ sale_item_id: item.id, quantity: fromMilli(milli) });
    }
    if (items.length === 0) {
      setError('Informe a quantidade devolvida de pelo menos um item.');
      return;
    }
    if (!reason.trim()) {
      setError('Informe o motivo da devolução.');
      return;
    }
    try {
      const updated = await giveBack.mutateAsync({ id: sale.id, items, reason: reason.trim(), refund_method: method });
      const refunded = updated.refunded_amount - sale.refunded_amount;
      onDone?.(`Devolução registrada na venda nº ${sale.id}: ${formatBRL(refunded)} em ${paymentLabel(method)}.`);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Não foi possível registrar a devolução.');
    }
  }

  return (
        <form onSubmit={submit} class="space-y-3" noValidate>
          <div class="overflow-x-auto">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Produto</th>
                  <th scope="col" class="text-right">Vendidos</th>
                  <th scope="col" class="text-right">Já devolvidos</th>
                  <th scope="col" class="text-right">Devolver</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ item, available }) => (
                  <tr key={item.id}>
                    <td>{item.product_name}</td>
                    <td class="text-right tabular-nums">{formatQuantityShort(item.quantity, item.unit)}</td>
                    <td class="text-right tabular-nums">{formatQuantityShort(item.returned_quantity, item.unit)}</td>
                    <td class="text-right">
                      <input
                        type="number"
                        step={isFractional(item.unit) ? 0.001 : 1}
                        min={0}
                        max={available}
                        inputMode={isFractional(item.unit) ? 'decimal' : 'numeric'}
                        class="input ml-auto w-20 text-right"
                        aria-label={`Devolver quantos de ${item.product_name} (até ${available})`}
                        disabled={available === 0}
                        placeholder="0"
                        value={quantities[item.id] ?? ''}
                        onInput={(e) => setQuantities({ ...quantities, [item.id]: e.currentTarget.value })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="grid gap-3 sm:grid-cols-2">
            <div>
              <label class="label" htmlFor="return-reason">
                Motivo *
              </label>
              <input id="return-reason" class="input" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </div>
            <div>
              <label class="label" htmlFor="return-method">
                Reembolso em
              </label>
              <select id="return-method" class="input" value={method} onChange={(e) => setMethod(e.currentTarget.value as PaymentMethod)}>
                {REFUND_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {paymentLabel(m)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {error && <Alert>{error}</Alert>}
          <div class="flex justify-end gap-2">
            <button type="button" class="btn" onClick={onClose}>
              Voltar
            </button>
            <button type="submit" class="btn btn-primary" disabled={giveBack.isPending}>
              {giveBack.isPending ? 'Registrando…' : 'Registrar devolução'}
            </button>
          </div>
        </form>
  );
}
