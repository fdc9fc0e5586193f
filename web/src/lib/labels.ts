// The names the UI gives to the API's codes, in one place. Payment methods are not here: the
// server names them (GET /api/info, see features/info/api.ts).
import type { ReviewReason, Role } from '../api/types';

export const ROLES: readonly Role[] = ['funcionario', 'admin'];

export const ROLE_LABELS: Record<Role, string> = { admin: 'Administrador', funcionario: 'Funcionário' };

/** What each role may do, as the user form explains it. */
export const ROLE_SCOPES: Record<Role, string> = { admin: 'tudo', funcionario: 'PDV e suas vendas' };

/** Why a sale that arrived from an offline terminal needs a look (`review_reasons`). */
export const REVIEW_REASON_LABELS: Record<ReviewReason, string> = {
  estoque_insuficiente: 'vendida sem estoque suficiente',
  caixa_fechado: 'o caixa já estava fechado quando chegou',
  sem_caixa: 'feita sem caixa aberto',
  produto_inativo: 'produto inativo',
};

/** A reason the server adds before the UI knows it is shown as its code. */
export const reviewReasonLabel = (code: string): string => (REVIEW_REASON_LABELS as Record<string, string>)[code] ?? code.replace(/_/g, ' ');
