// How the audit log reads in Portuguese: the actions' and areas' names, what an entry was done to,
// who did it, and its details (a change as "preco: 10.00 → 12.50", other facts as "motivo: …").
// The codes come from the server (`actions` of GET /api/audit); one it adds later is still shown,
// named from its code, until it gets a name here.
import type { AuditEntry } from '../../api/types';

const ACTION_LABELS: Record<string, string> = {
  'login.sucesso': 'Login realizado',
  'login.falha': 'Login recusado',
  'usuario.criado': 'Usuário criado',
  'usuario.alterado': 'Usuário alterado',
  'usuario.excluido': 'Usuário excluído',
  'categoria.criada': 'Categoria criada',
  'categoria.alterada': 'Categoria alterada',
  'categoria.excluida': 'Categoria excluída',
  'produto.criado': 'Produto criado',
  'produto.alterado': 'Produto alterado',
  'produto.excluido': 'Produto excluído',
  'produto.foto': 'Foto do produto',
  'produto.importacao': 'Importação de produtos',
  'estoque.movimento': 'Movimento de estoque',
  'cliente.criado': 'Cliente criado',
  'cliente.alterado': 'Cliente alterado',
  'venda.criada': 'Venda registrada',
  'venda.cancelada': 'Venda cancelada',
  'venda.devolucao': 'Devolução de venda',
  'venda.revisada': 'Venda revisada',
  'configuracoes.alteradas': 'Configurações alteradas',
  'caixa.aberto': 'Caixa aberto',
  'caixa.movimento': 'Suprimento ou sangria',
  'caixa.fechado': 'Caixa fechado',
  'loja.criada': 'Loja criada',
  'loja.alterada': 'Loja alterada',
  'terminal.criado': 'Terminal criado',
  'terminal.alterado': 'Terminal alterado',
  'loja.preco': 'Preço da loja',
  'transferencia.enviada': 'Transferência enviada',
  'transferencia.recebida': 'Transferência recebida',
  'transferencia.cancelada': 'Transferência cancelada',
};

const AREA_LABELS: Record<string, string> = {
  login: 'Login',
  usuario: 'Usuário',
  categoria: 'Categoria',
  produto: 'Produto',
  estoque: 'Estoque',
  cliente: 'Cliente',
  venda: 'Venda',
  configuracoes: 'Configurações',
  caixa: 'Caixa',
  loja: 'Loja',
  terminal: 'Terminal',
  transferencia: 'Transferência',
};

const capitalized = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** "Produto", or the code itself, capitalized, for an area without a name here. */
export function areaLabel(area: string): string {
  return AREA_LABELS[area] ?? capitalized(area.replace(/_/g, ' '));
}

/** "Produto alterado"; an unknown code reads from its parts ("Caixa reaberto" for `caixa.reaberto`). */
export function actionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const [area = '', what = ''] = action.split('.', 2);
  return what ? `${areaLabel(area)} ${what.replace(/_/g, ' ')}` : areaLabel(area);
}

export interface ActionGroup {
  /** the area's code, which the filter sends to list all its actions */
  area: string;
  label: string;
  actions: { code: string; label: string }[];
}

/** The filter's options: the server's actions grouped by area, in the order it lists them. */
export function actionGroups(actions: readonly string[]): ActionGroup[] {
  const groups = new Map<string, ActionGroup>();
  for (const code of actions) {
    const area = code.split('.')[0] ?? code;
    let g = groups.get(area);
    if (!g) {
      g = { area, label: areaLabel(area), actions: [] };
      groups.set(area, g);
    }
    g.actions.push({ code, label: actionLabel(code) });
  }
  return [...groups.values()];
}

const ENTITY_LABELS: Record<string, string> = {
  produto: 'Produto',
  venda: 'Venda',
  usuario: 'Usuário',
  categoria: 'Categoria',
  cliente: 'Cliente',
  caixa: 'Caixa',
  loja: 'Loja',
  terminal: 'Terminal',
  transferencia: 'Transferência',
};

/** "Produto nº 3"; "—" when the entry is about nothing in particular (a failed login of an unknown name). */
export function entityLabel(entry: Pick<AuditEntry, 'entity' | 'entity_id'>): string {
  if (!entry.entity) return '—';
  const name = ENTITY_LABELS[entry.entity] ?? capitalized(entry.entity);
  return entry.entity_id === null ? name : `${name} nº ${entry.entity_id}`;
}

/** Where the entity is shown in the UI, if it has a page. */
export function entityHref(entry: Pick<AuditEntry, 'entity' | 'entity_id'>): string | null {
  if (entry.entity_id === null) return null;
  switch (entry.entity) {
    case 'venda':
      return `/vendas/${entry.entity_id}/recibo`;
    case 'cliente':
      return `/clientes/${entry.entity_id}`;
    case 'produto':
      return `/produtos/${entry.entity_id}/movimentos`;
    default:
      return null;
  }
}

/** Who did it: the user's name then; a failed login's typed name when no user has it; the
 * operator at the command line otherwise. */
export function who(entry: Pick<AuditEntry, 'user_id' | 'username'>): { name: string; note: string | null } {
  if (entry.username === null) return { name: 'Operador', note: 'linha de comando' };
  return { name: entry.username, note: entry.user_id === null ? 'não cadastrado' : null };
}

/** A value of the details as text: "—" for nothing, "sim"/"não", lists joined, objects as "k: v". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'sim' : 'não';
  if (typeof value === 'string') return value === '' ? '(vazio)' : value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    const objects = value.some((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    return value.map((v) => (objects && typeof v === 'object' && v !== null ? `(${formatValue(v)})` : formatValue(v))).join(objects ? '; ' : ', ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ');
  }
  return String(value);
}

/** A change of a field: `{"antes": x, "depois": y}`. */
function isChange(value: unknown): value is { antes: unknown; depois: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes('antes') && keys.includes('depois');
}

export type DetailLine = { field: string; before: string; after: string } | { field: string; value: string };

/** The details, one line per key in the server's order: a change with its before and after, any
 * other fact with its value. */
export function detailLines(details: Record<string, unknown>): DetailLine[] {
  return Object.entries(details).map(([field, v]) =>
    isChange(v) ? { field, before: formatValue(v.antes), after: formatValue(v.depois) } : { field, value: formatValue(v) },
  );
}

/** "preco: 10.00 → 12.50" or "motivo: senha incorreta". */
export function detailText(line: DetailLine): string {
  return 'value' in line ? `${line.field}: ${line.value}` : `${line.field}: ${line.before} → ${line.after}`;
}

/** What "Verificar integridade" says: "Registro íntegro: 25 entradas; última #25, hash 70c2b3ee…",
 * or where the chain breaks. */
export function checkText(check: { intact: boolean; entries: number; head_id: number | null; head_hash: string | null; problem: string | null }): {
  kind: 'success' | 'error';
  text: string;
} {
  if (!check.intact) return { kind: 'error', text: `Registro com problema: ${check.problem ?? 'a cadeia de hashes não confere'}` };
  const count = `${check.entries} ${check.entries === 1 ? 'entrada' : 'entradas'}`;
  if (check.head_id === null || !check.head_hash) return { kind: 'success', text: `Registro íntegro: ${count}.` };
  return { kind: 'success', text: `Registro íntegro: ${count}; última #${check.head_id}, hash ${check.head_hash.slice(0, 12)}…` };
}
