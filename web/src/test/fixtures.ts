// Server answers shared by the unit tests (shapes from the generated API types), and a sale kept
// on the terminal.
import type { CashSession, Customer, Info, Product, Sale, Settings, Store, Terminal, User } from '../api/types';
import type { PendingSale } from '../features/pdv/offline/outbox';
import { pendingSale } from '../features/pdv/offline/pending';

/** GET /api/info as the server answers it: the payment methods' names come from here. */
export const info: Info = {
  name: 'Sistema de Vendas',
  version: '0.1.0',
  timezone: 'America/Sao_Paulo',
  currency: 'BRL',
  payment_methods: [
    { method: 'dinheiro', label: 'Dinheiro' },
    { method: 'debito', label: 'Cartão de débito' },
    { method: 'credito', label: 'Cartão de crédito' },
    { method: 'pix', label: 'Pix' },
    { method: 'outro', label: 'Outro' },
  ],
};

export function product(id: number, fields: Partial<Product> = {}): Product {
  return {
    id,
    name: `Produto ${id}`,
    description: null,
    price: 10,
    catalog_price: fields.price ?? 10,
    stock: 10,
    category_id: 1,
    category_name: 'Geral',
    created_at: '2026-11-01T10:00:00Z',
    code: `789000000${id}`,
    min_stock: 5,
    low_stock: false,
    updated_at: '2026-11-01T10:00:00Z',
    unit: 'UN',
    barcode: null,
    barcodes: [],
    cost_price: null,
    average_cost: null,
    active: true,
    photo_url: null,
    thumbnail_url: null,
    ...fields,
  };
}

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A sale as the server answers it (a concluded one of R$ 10,00 unless told otherwise). */
export function sale(id: number, fields: Partial<Sale> = {}): Sale {
  const total = fields.total_amount ?? 10;
  return {
    id,
    user_id: 7,
    user_username: 'caixa',
    timestamp: '2026-11-29T17:05:00Z',
    status: 'concluida',
    items: [],
    subtotal_amount: total,
    discount_amount: 0,
    total_amount: total,
    payments: [],
    change: 0,
    refunded_amount: 0,
    returns: [],
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    discount_approved_by: null,
    cash_session_id: null,
    payment_method: null,
    customer: null,
    client_id: null,
    received_at: '2026-11-29T17:05:00Z',
    review_reasons: [],
    reviewed_at: null,
    reviewed_by: null,
    store_id: 1,
    store_name: 'Loja',
    ...fields,
  };
}

/** A customer as the server answers it (no purchases unless told otherwise). */
export function customer(id: number, fields: Partial<Customer> = {}): Customer {
  return {
    id,
    name: `Cliente ${id}`,
    document: null,
    document_type: null,
    phone: null,
    email: null,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
    purchases_count: 0,
    total_spent: 0,
    last_purchase_at: null,
    ...fields,
  };
}

/** A sale of one R$ 10,00 café in cash, kept on the terminal at `at` by `seller` in cash session 3
 * (in `where`, when the PDV asked). */
export function keptSale(clientId: string, at: string, seller = { id: 7, username: 'caixa' }, where?: Pick<Store, 'id' | 'name'>): PendingSale {
  const cart = { attemptKey: clientId, items: [{ product_id: 1, name: 'Café', code: 'CAFE', unit_cents: 1000, stock: 10, quantity: 1 }] };
  return pendingSale(cart, [{ method: 'dinheiro', amount: 1000 }], seller, 3, new Date(at), where);
}

/** GET /api/settings of a shop with the defaults (employees' discounts up to 5%). */
export function settings(fields: Partial<Settings> = {}): Settings {
  return {
    shop_name: 'Loja',
    shop_cnpj: null,
    shop_address: null,
    shop_phone: null,
    pix_key: null,
    pix_merchant_name: null,
    pix_merchant_city: null,
    max_discount_percent: 5,
    require_cash_session: false,
    auto_print: false,
    printer_address: null,
    printer_columns: 48,
    open_drawer: false,
    updated_at: null,
    scale_label_mask: '2CCCCCXVVVVVD',
    scale_label_value: 'peso',
    offline_sale_max_hours: 72,
    ...fields,
  };
}

/** An open cash session of user 7. */
export function cashSession(id: number, fields: Partial<CashSession> = {}): CashSession {
  return {
    id, user_id: 7, user_username: 'caixa', terminal: 'Caixa 1', opening_float: 100, opened_at: '2026-11-29T11:00:00Z',
    closed_at: null, closed_by: null, closed_by_username: null, counted: null, expected: null, difference: null, status: 'aberto',
    store_id: 1, terminal_id: null,
    ...fields,
  };
}

/** A user as GET /api/users and the session have them: an employee of store 1 unless told otherwise. */
export function user(id: number, fields: Partial<User> = {}): User {
  return { id, username: 'caixa', role: 'funcionario', active: true, created_at: '2026-11-01T10:00:00Z', store_ids: [1], ...fields };
}

/** The administrator (user 1). */
export const admin: User = user(1, { username: 'admin', role: 'admin' });

/** A store (GET /api/stores): store 1 is the shop's own, named after it. */
export function store(id: number, fields: Partial<Store> = {}): Store {
  return { id, name: id === 1 ? 'Loja' : `Loja ${id}`, created_at: '2026-11-01T10:00:00Z', active: true, ...fields };
}

/** A registered terminal (GET /api/terminals) of store 1 unless told otherwise. */
export function terminal(id: number, fields: Partial<Terminal> = {}): Terminal {
  return { id, store_id: 1, name: `Caixa ${id}`, created_at: '2026-11-01T10:00:00Z', active: true, ...fields };
}
