// The API's shapes, taken from the server's OpenAPI document (generated.ts, made by
// `npm run gen:api`): a server change that is regenerated shows up here as a type error where
// it matters. Money fields are JSON numbers with at most two decimals; convert them with
// lib/money.ts before doing arithmetic.
import type { components } from './generated';

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

// Request bodies: the generated ones, narrowed where the document says less than the server
// checks (it types these fields as any string / number).

/** POST/PUT /api/products. The price goes as a "12.50" string, which the server parses exactly
 * (the document only says "número ou texto numérico" and types it as a number). */
export type ProductInput = Omit<Schemas['ProductBody'], 'price'> & { price: string };

/** POST /api/sales: the document types payment_method as any string. */
export type NewSale = Omit<Schemas['SaleBody'], 'payment_method'> & { payment_method: PaymentMethod };

/** PUT /api/users/{id}: the document types role as any string. */
export type UserInput = Omit<Schemas['UserBody'], 'role'> & { role?: Role };
export type NewUser = UserInput & { username: string; password: string; role: Role };

/** PUT /api/products/{id}/stock: exactly one of StockBody's two fields. */
export type StockChange = { stock: number } | { adjustment: number };

/**
 * Body of a 4xx answer. The document describes only `error`; the item errors of a sale also
 * carry `product_id` (400 insufficient stock, 404 unknown product) and `available` (400), which
 * the PDV uses to mark the item. Hand-written until the server describes them.
 */
export type ErrorBody = Schemas['ErrorBody'] & { product_id?: number; available?: number };
