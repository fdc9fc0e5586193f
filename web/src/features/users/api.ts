// Users: the HTTP calls, their query keys and what a change makes stale.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import { invalidate, rootKeys } from '../../api/keys';
import type { Message, NewUser, User, UserInput } from '../../api/types';

export const listUsers = () => request<User[]>('/api/users');
export const createUser = (body: NewUser) => request<User>('/api/users', { method: 'POST', body });
export const updateUser = (id: number, body: UserInput) => request<User>(`/api/users/${id}`, { method: 'PUT', body });
export const deleteUser = (id: number) => request<Message>(`/api/users/${id}`, { method: 'DELETE' });

export const userKeys = { all: rootKeys.users };

export const usersQuery = queryOptions({ queryKey: userKeys.all, queryFn: listUsers });

/** A user created, edited or removed: the list, and the sales (each shows its seller's name). */
export const USER_CHANGE_STALES = [rootKeys.users, rootKeys.sales] as const;

/** Creates (`id: null`) or updates a user. */
export function useSaveUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: null; body: NewUser } | { id: number; body: UserInput }) =>
      v.id === null ? createUser(v.body) : updateUser(v.id, v.body),
    onSuccess: () => void invalidate(qc, USER_CHANGE_STALES),
  });
}

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: deleteUser, onSuccess: () => void invalidate(qc, USER_CHANGE_STALES) });
}
