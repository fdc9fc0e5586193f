// Login, the session's user and the password change. Nothing here is cached: the session lives
// in app/session.ts (localStorage), not in the query cache.
import { request } from '../../api/client';
import type { LoginResponse, MessageWithToken, User } from '../../api/types';

export const login = (username: string, password: string) =>
  request<LoginResponse>('/api/auth/login', { method: 'POST', body: { username, password } });

export const me = (signal?: AbortSignal) => request<User>('/api/auth/me', { signal });

export const changePassword = (current_password: string, new_password: string) =>
  request<MessageWithToken>('/api/auth/password', { method: 'PUT', body: { current_password, new_password } });
