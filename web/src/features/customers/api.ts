// Customers: the HTTP calls, their query keys and what a change makes stale. Any signed-in user
// lists, creates and edits them (the PDV names the customer of a sale without leaving it).
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { Customer, CustomerInput, CustomerPage, CustomerQuery } from '../../api/types';

/** `search`: part of the name (case and accents ignored) or the start of the CPF/CNPJ, with or
 * without punctuation; the server decides what matches. */
export type CustomerFilters = CustomerQuery;

export const listCustomers = (f: CustomerFilters, signal?: AbortSignal) =>
  request<CustomerPage>('/api/customers', { query: { ...f }, signal });

export const getCustomer = (id: number, signal?: AbortSignal) => request<Customer>(`/api/customers/${id}`, { signal });

/** 400 with the server's reason ("CPF inválido: …", "Já existe um cliente com este CPF/CNPJ"). */
export const createCustomer = (body: CustomerInput) => request<Customer>('/api/customers', { method: 'POST', body });

/** Only the fields sent change; null clears the document, the phone or the e-mail. */
export const updateCustomer = (id: number, body: CustomerInput) =>
  request<Customer>(`/api/customers/${id}`, { method: 'PUT', body });

export const customerKeys = {
  all: rootKeys.customers,
  list: (f: CustomerFilters) => [...rootKeys.customers, 'list', f] as const,
  detail: (id: number) => [...rootKeys.customers, 'detail', id] as const,
};

export const customerQueries = {
  list: (f: CustomerFilters) =>
    queryOptions({
      queryKey: customerKeys.list(f),
      queryFn: ({ signal }) => listCustomers(f, signal),
      placeholderData: keepPreviousData,
      staleTime: 5_000,
    }),
  /** The PDV's picker: a few customers for what is typed (nothing for an empty text). */
  search: (term: string) =>
    queryOptions({
      queryKey: customerKeys.list({ search: term, per_page: 8 }),
      queryFn: ({ signal }) => listCustomers({ search: term, per_page: 8 }, signal),
      enabled: term.length > 0,
      staleTime: 5_000,
    }),
  detail: (id: number) => queryOptions({ queryKey: customerKeys.detail(id), queryFn: ({ signal }) => getCustomer(id, signal), staleTime: 0 }),
};

/** A customer created or edited: the customers, and the sales (they show the customer's name). */
export const CUSTOMER_CHANGE_STALES = [rootKeys.customers, rootKeys.sales] as const;

/** Creates (`id: null`) or updates a customer. */
export function useSaveCustomer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number | null; body: CustomerInput }) => (v.id === null ? createCustomer(v.body) : updateCustomer(v.id, v.body)),
    onSuccess: () => void invalidate(qc, CUSTOMER_CHANGE_STALES),
  });
}
