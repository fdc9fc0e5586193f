import { request } from './client';
import type { Message, Role, User } from './types';

export const listUsers = () => request<User[]>('/api/users');
export const createUser = (body: { username: string; password: string; role: Role }) =>
  request<User>('/api/users', { method: 'POST', body });
export const updateUser = (
  id: number,
  body: { username?: string; password?: string; role?: Role; active?: boolean },
) => request<User>(`/api/users/${id}`, { method: 'PUT', body });
export const deleteUser = (id: number) => request<Message>(`/api/users/${id}`, { method: 'DELETE' });
