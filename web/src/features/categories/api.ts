// Categories: the HTTP calls, their query keys and what a change makes stale.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { Category, Message } from '../../api/types';

export const listCategories = () => request<Category[]>('/api/categories');
export const createCategory = (name: string) =>
  request<Category>('/api/categories', { method: 'POST', body: { name } });
export const renameCategory = (id: number, name: string) =>
  request<Category>(`/api/categories/${id}`, { method: 'PUT', body: { name } });
export const deleteCategory = (id: number) =>
  request<Message>(`/api/categories/${id}`, { method: 'DELETE' });

export const categoryKeys = { all: rootKeys.categories };

export const categoriesQuery = queryOptions({ queryKey: categoryKeys.all, queryFn: listCategories });

/** A category created or deleted: the list. */
export const CATEGORY_CHANGE_STALES = [rootKeys.categories] as const;
/** A rename: the list, and the products (each shows its category's name). */
export const CATEGORY_RENAME_STALES = [rootKeys.categories, rootKeys.products] as const;

// The categories page waits for the refreshed list before it says the change is done.

export function useCreateCategory() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createCategory, onSuccess: () => invalidate(qc, CATEGORY_CHANGE_STALES) });
}

export function useRenameCategory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) => renameCategory(id, name),
    onSuccess: () => invalidate(qc, CATEGORY_RENAME_STALES),
  });
}

export function useDeleteCategory() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteCategory, onSuccess: () => invalidate(qc, CATEGORY_CHANGE_STALES) });
}
