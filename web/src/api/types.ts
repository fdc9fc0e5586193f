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
export type ProductPage = Schemas['ProductPage'];
export type Sale = Schemas['Sale'];
export type SaleItem = Schemas['SaleItem'];
export type SalePage = Schemas['SalePage'];
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

/** POST /api/sales. */
export type NewSale = Omit<Schemas['SaleBody'], 'payment_method'> & { payment_method: PaymentMethod };

/** PUT /api/users/{id}: only the fields that change; an empty password keeps the current one. */
export type UserInput = Schemas['UserUpdateBody'];
export type NewUser = Schemas['UserCreateBody'] & { role: Role };

/** PUT /api/products/{id}/stock: exactly one of StockBody's two fields. */
export type StockChange = { stock: number } | { adjustment: number };

/** Body of a 4xx answer. The item errors of a sale also carry `product_id` (400 insufficient
 * stock, 404 unknown product) and `available` (400; null for an unknown product), which the PDV
 * uses to mark the item. */
export type ErrorBody = Schemas['ErrorBody'];

type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

/** The query parameters of GET /api/products and GET /api/sales. An empty value counts as
 * absent (`allowEmptyValue`), which the filters' "all" option (`''`) relies on. */
export type ProductQuery = Query<'/api/products'>;
export type SaleQuery = Query<'/api/sales'>;
