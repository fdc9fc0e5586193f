// How a sale's status and payments are shown in lists (the sales history, a customer's purchases).
import type { PaymentMethod, Sale } from '../api/types';

/** "Dinheiro", or "Débito + Pix" for a sale split among methods. */
export function paymentText(sale: Pick<Sale, 'payments' | 'payment_method'>, label: (m: PaymentMethod) => string): string {
  const methods = [...new Set(sale.payments.map((p) => p.method))];
  if (methods.length > 0) return methods.map(label).join(' + ');
  return sale.payment_method ? label(sale.payment_method) : '—';
}

export function StatusBadge({ sale }: { sale: Pick<Sale, 'status' | 'refunded_amount'> }) {
  if (sale.status === 'cancelada') return <span class="badge bg-red-100 text-red-900">Cancelada</span>;
  if (sale.refunded_amount > 0) return <span class="badge bg-amber-100 text-amber-900">Com devolução</span>;
  return <span class="badge bg-green-100 text-green-900">Concluída</span>;
}
