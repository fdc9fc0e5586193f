// The employees' discount limit (settings' max_discount_percent): above it the server asks for
// an administrator's password. Offline nobody can check that password, so the PDV refuses such a
// discount itself, with the server's rule (domain/checkout.rs `discount_above`).
import { ApiError } from '../../api/client';
import type { Role, Settings } from '../../api/types';
import { FULL_BP, type Priced } from './pricing';

/** An administrator's name and password, typed at the PDV to approve a discount. */
export interface Approval {
  username: string;
  password: string;
}

/** The server asks for an administrator's approval of an employee's discount (403). */
export const needsApproval = (e: unknown): e is ApiError =>
  e instanceof ApiError && e.status === 403 && /aprovação de um administrador/i.test(e.message);

/**
 * Why a sale cannot be kept offline because of its discount (null: it can). Administrators
 * have no limit; with no settings ever seen on this terminal the limit is not known, so an
 * employee's discount is refused.
 */
export function offlineDiscountRefusal(priced: Pick<Priced, 'subtotal' | 'discount'>, role: Role | undefined, settings: Settings | undefined): string | null {
  if (role === 'admin' || priced.discount === 0) return null;
  const limit = settings ? Math.round(settings.max_discount_percent * 100) : 0;
  if (priced.discount * FULL_BP <= limit * priced.subtotal) return null;
  const shown = settings ? ` de ${String(settings.max_discount_percent).replace('.', ',')}%` : '';
  return `Sem conexão com o servidor: um desconto acima do limite${shown} precisa da senha de um administrador, que só o servidor confere. Reduza o desconto ou espere a conexão voltar.`;
}
