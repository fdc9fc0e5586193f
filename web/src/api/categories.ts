import { request } from './client';
import type { Category, Message } from './types';

export const listCategories = () => request<Category[]>('/api/categories');
export const createCategory = (name: string) =>
  request<Category>('/api/categories', { method: 'POST', body: { name } });
export const renameCategory = (id: number, name: string) =>
  request<Category>(`/api/categories/${id}`, { method: 'PUT', body: { name } });
export const deleteCategory = (id: number) =>
  request<Message>(`/api/categories/${id}`, { method: 'DELETE' });
