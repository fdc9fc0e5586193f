import { Link } from 'wouter';
import type { CashSession } from '../../api/types';
import { formatDateTime } from '../../lib/dates';

/** Whether the operator's cash is open, with a link to the cash page (the rule is the settings'). */
export function CashStatus({ session, required, timeZone }: { session: CashSession | null | undefined; required: boolean; timeZone: string }) {
  if (session === undefined) return null;
  if (session) {
    return (
      <p class="text-sm text-slate-800" data-testid="cash-status">
        <span class="badge mr-1 bg-green-100 text-green-900">Caixa aberto</span>
        nº {session.id} desde {formatDateTime(session.opened_at, timeZone)} ·{' '}
        <Link href="/caixa" class="text-blue-800 underline">
          ver caixa
        </Link>
      </p>
    );
  }
  return (
    <p class={`text-sm ${required ? 'font-medium text-red-800' : 'text-slate-800'}`} data-testid="cash-status" role={required ? 'alert' : undefined}>
      <span class={`badge mr-1 ${required ? 'bg-red-100 text-red-900' : 'bg-slate-200 text-slate-800'}`}>Caixa fechado</span>
      {required ? 'Abra o caixa antes de vender. ' : ''}
      <Link href="/caixa" class="text-blue-800 underline">
        Abrir o caixa
      </Link>
    </p>
  );
}
