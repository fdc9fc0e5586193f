// The API's shapes, taken from the server's OpenAPI document (generated.ts, made by
// `npm run gen:api`): a server change that is regenerated shows up here as a type error where
// it matters. Money fields are JSON numbers with at most two decimals; convert them with
// lib/money.ts before doing arithmetic.
import type { components, paths } from './generated';

type Schemas = components['schemas'];

export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type LoginResponse = Schemas['LoginResponse'];
export type Info = Schemas['Info'];
export type PaymentMethod = Schemas['PaymentMethod'];
export type PaymentMethodLabel = Schemas['PaymentMethodLabel'];
export type Category = Schemas['Category'];
export type Product = Schemas['Product'];
export type Unit = Schemas['Unit'];
/** GET /api/products/lookup: what a scanned code is (a scale label carries its quantity and, for
 * price labels, its amount). */
export type Lookup = Schemas['Lookup'];
export type StockMovement = Schemas['StockMovement'];
export type MovementPage = Schemas['MovementPage'];
/** POST /api/stock/{entries,adjustments,counts}: the product after it; `recorded` false when a
 * count found the stock as it was. */
export type StockChanged = Schemas['StockChanged'];
export type ProductPage = Schemas['ProductPage'];
/** GET /api/products/catalog: every active product, for the PDV's own index. */
export type Catalog = Schemas['Catalog'];
export type CatalogProduct = Schemas['CatalogProduct'];
/** POST /api/products/import: what the file did. A refused file answers 400 with `errors`, one
 * per problem (line 1 is the header; `column` is empty for a problem of the whole line). */
export type ImportSummary = Schemas['ImportSummary'];
export type RowError = Schemas['RowError'];
export type Sale = Schemas['Sale'];
export type SaleItem = Schemas['SaleItem'];
export type SaleStatus = Schemas['SaleStatus'];
export type SalePayment = Schemas['Payment'];
export type SaleReturn = Schemas['SaleReturn'];
export type SalePage = Schemas['SalePage'];
/** The customer of a sale (`Sale.customer`), as the receipt prints them. */
export type SaleCustomer = Schemas['SaleCustomer'];
export type Summary = Schemas['Summary'];
export type Message = Schemas['Message'];
export type MessageWithToken = Schemas['MessageWithToken'];

// Request bodies: the generated ones, narrowed where the UI sends less than the server accepts.

/** What the product form sends, to POST /api/products and (without `stock`) PUT: the price as a
 * "12.50" string, which the server parses exactly (the document accepts a JSON number or a
 * numeric string), the stocks as numbers. */
export type ProductInput = Omit<Schemas['ProductCreateBody'], 'price' | 'stock' | 'min_stock'> & {
  price: string;
  stock?: number;
  min_stock?: number;
};

/** PUT /api/products/{id}: only the fields that change (at least one); null only clears
 * `description` and `code`. */
export type ProductChanges = Omit<Schemas['ProductUpdateBody'], 'price'> & { price?: string };

/** POST /api/sales as the PDV sends it: products and quantities (the server prices them), the
 * discounts and payments as exact decimal strings ("12.50"), the administrator's approval
 * of a discount when the server asked for it, and the customer (optional). */
export interface NewSale {
  items: (({ product_id: number; quantity: number } | { label: string }) & { discount_percent?: string; discount_amount?: string })[];
  discount_percent?: string;
  discount_amount?: string;
  payments?: { method: PaymentMethod; amount: string; tendered?: string }[];
  payment_method?: PaymentMethod;
  discount_approval?: Schemas['ApprovalBody'];
  customer_id?: number;
  /** the terminal's id of the sale (a UUID): a second sale with it answers the first one */
  client_id?: string;
  /** the store it is sold in, when the seller works in several (the PDV's "Loja") */
  store_id?: number;
}

/** PUT /api/users/{id}: only the fields that change; an empty password keeps the current one. */
export type UserInput = Schemas['UserUpdateBody'];
export type NewUser = Schemas['UserCreateBody'] & { role: Role };

/** PUT /api/products/{id}/stock: exactly one of StockBody's two fields. */
export type StockChange = { stock: number } | { adjustment: number };

/** Body of a 4xx answer. The item errors of a sale also carry `product_id` (400 insufficient
 * stock, 404 unknown product) and `available` (400; null for an unknown product), which the PDV
 * uses to mark the item. */
export type ErrorBody = Schemas['ErrorBody'];

/** The shop's stores (GET /api/stores: every store for an administrator, the ones an employee
 * works in for them) and their registered terminals (GET /api/terminals). */
export type Store = Schemas['Store'];
/** A price one store charges instead of the catalog's. */
export type StorePrice = Schemas['StorePrice'];
/** Units sent from one store to another: in transit until received (or cancelled, back home). */
export type Transfer = Schemas['Transfer'];
export type TransferStatus = Transfer['status'];
export type TransferPage = Schemas['TransferPage'];
export type TransferBody = Schemas['TransferBody'];
export type Terminal = Schemas['Terminal'];
/** PUT /api/stores/{id} and PUT /api/terminals/{id}: only what changes. */
export type PlaceChanges = Schemas['PlaceUpdateBody'];

type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

/** The query parameters of GET /api/products and GET /api/sales. An empty value counts as
 * absent (`allowEmptyValue`), which the filters' "all" option (`''`) relies on. */
export type ProductQuery = Query<'/api/products'>;
export type SaleQuery = Query<'/api/sales'>;
export type CustomerQuery = Query<'/api/customers'>;
export type AuditQuery = Query<'/api/audit'>;

/** GET/PUT /api/settings: the shop's settings; PUT takes only the fields that change. */
export type Settings = Schemas['Settings'];
export type SettingsChanges = Schemas['SettingsBody'];
export type StoreSettings = Schemas['StoreSettings'];
export type StoreSettingsBody = Schemas['StoreSettingsBody'];

/** GET /api/pix?amount=: the static BR Code for the amount and its QR as an SVG document. */
export type PixCode = Schemas['Pix'];

/** The cash register (/api/cash-sessions): a session per operator; `expected` is null for an
 * employee while it is open (the count is blind). */
export type CashSession = Schemas['CashSession'];
export type CashSessionStatus = Schemas['CashSessionStatus'];
export type CashMovementType = Schemas['MovementType'];
export type CashMovement = Schemas['CashMovement'];
/** GET /api/cash-sessions/{id}: the session and what went through it. */
export type CashSessionReport = Schemas['CashSessionReport'];
export type CashSessionPage = Schemas['CashSessionPage'];

/** A customer (/api/customers): the document punctuated as the server formats it (a CNPJ may have
 * letters: `12.ABC.345/01DE-35`), with its kind; what they bought (sales that stand, net of
 * returns). The document says `document_type` is a string: the server writes only these two. */
export type Customer = Omit<Schemas['Customer'], 'document_type'> & { document_type: 'CPF' | 'CNPJ' | null };
export type CustomerPage = Omit<Schemas['CustomerPage'], 'customers'> & { customers: Customer[] };
/** POST /api/customers, and PUT /api/customers/{id} with only the fields that change (null clears
 * the document, the phone or the e-mail). The server checks every field and says why in Portuguese. */
export type CustomerInput = Schemas['CustomerBody'];

/** An entry of the audit log (GET /api/audit, administrators). `details` is a JSON object: for a
 * change `{"campo": {"antes": x, "depois": y}}`, otherwise facts (`{"motivo": "senha incorreta"}`);
 * the document types it as an object without properties, which the generator reads as empty. */
export type AuditEntry = Omit<Schemas['AuditEntry'], 'details'> & { details: Record<string, unknown> };
export type AuditPage = Omit<Schemas['AuditPage'], 'entries'> & { entries: AuditEntry[] };
/** GET /api/audit/check: the hash chain walked from the first entry to the last. */
export type AuditCheck = Schemas['AuditCheck'];

/** GET /api/reports/sales (administrators): the sales of a filter grouped by time, seller,
 * product, category or payment method, with each row's figures and their totals. `cost`,
 * `margin` and `margin_percent` are null when no line had a known cost. */
export type SalesReport = Schemas['SalesReport'];
export type ReportRow = Schemas['ReportRow'];
export type ReportFigures = Schemas['ReportFigures'];
/** What `group_by` accepts (the document gives it as a pattern). */
export type ReportGroupBy = 'day' | 'week' | 'month' | 'hour' | 'employee' | 'product' | 'category' | 'payment_method';
/** Its query parameters, `group_by` narrowed; `format` (csv, xlsx) is the download's. */
export type SalesReportQuery = Omit<Query<'/api/reports/sales'>, 'group_by' | 'format'> & { group_by: ReportGroupBy };

/** Why a sale made at a terminal without the server needs an administrator's look. */
export type ReviewReason = Sale['review_reasons'][number];

/** POST /api/sales for a sale made while the server could not be reached, as the PDV sends it:
 * when it was made, by whom, in which cash session, and every item with the price the terminal
 * showed as a "12.50" string (recorded even past the stock, and then flagged for review). */
export type OfflineSale = Omit<NewSale, 'items' | 'discount_approval'> & {
  client_id: string;
  sold_at: string;
  user_id: number;
  cash_session_id?: number;
  items: (NewSale['items'][number] & { unit_price: string })[];
};

/** GET /api/review (administrators): flagged sales not yet reviewed (newest first), and the
 * products whose stock went below zero. */
export type Review = Schemas['ToReview'];
