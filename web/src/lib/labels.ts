// The names the UI gives to the API's codes, in one place. Payment methods are not here: the
// server names them (GET /api/info, see features/info/api.ts).
import type { Role } from '../api/types';

export const ROLES: readonly Role[] = ['funcionario', 'admin'];

export const ROLE_LABELS: Record<Role, string> = { admin: 'Administrador', funcionario: 'Funcionário' };

/** What each role may do, as the user form explains it. */
export const ROLE_SCOPES: Record<Role, string> = { admin: 'tudo', funcionario: 'PDV e suas vendas' };
