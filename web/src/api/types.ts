// Response shapes of the HTTP API (docs/api.md). Money fields are JSON numbers with at most
// two decimals; convert them with lib/money.ts before doing arithmetic.

export type Role = 'admin' | 'funcionario';

export interface User {
  id: number;
  username: string;
  role: Role;
  active: boolean;
  created_at: string;
}

export interface LoginResponse {
  access_token: string;
  user: User;
  expires_at?: string;
}

export interface Info {
  name: string;
  version: string;
  timezone: string;
  currency: string;
}

export interface Category {
  id: number;
  name: string;
  created_at: string;
  products_count: number;
}

export interface Product {
  id: number;
  name: string;
  description: string | null;
  price: number;
  stock: number;
  category_id: number;
  category_name: string | null;
  created_at: string;
  code: string | null;
  min_stock: number;
  low_stock: boolean;
  updated_at: string | null;
}

export interface ProductPage {
  products: Product[];
  total: number;
  pages: number;
  current_page: number;
}

export type PaymentMethod = 'dinheiro' | 'debito' | 'credito' | 'pix' | 'outro';

export interface SaleItem {
  id: number;
  sale_id: number;
  product_id: number;
  product_name: string;
  quantity: number;
  price_at_sale: number;
  subtotal: number;
}

export interface Sale {
  id: number;
  user_id: number;
  user_username: string;
  total_amount: number;
  timestamp: string;
  payment_method: PaymentMethod | null;
  items: SaleItem[];
}

export interface SalePage {
  sales: Sale[];
  total: number;
  pages: number;
  current_page: number;
  total_amount: number;
  average_ticket: number;
}

export interface Summary {
  today_sales: number;
  month_sales: number;
  total_sales: number;
  today_count: number;
  month_count: number;
  total_count: number;
  average_ticket: number;
  top_products: { product_id: number; name: string; total_sold: number; total_amount: number }[];
  daily: { date: string; count: number; total: number }[];
  timezone: string;
}

export interface Message {
  message: string;
}

/** Body of a 4xx answer. Item errors of a sale also carry product_id (and available). */
export interface ErrorBody {
  error: string;
  product_id?: number;
  available?: number;
}
