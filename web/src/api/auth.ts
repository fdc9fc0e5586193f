import { request } from './client';
import type { Info, LoginResponse, Message, User } from './types';

export const login = (username: string, password: string) =>
  request<LoginResponse>('/api/auth/login', { method: 'POST', body: { username, password } });

export const me = () => request<User>('/api/auth/me');

export const changePassword = (current_password: string, new_password: string) =>
  request<Message>('/api/auth/password', { method: 'PUT', body: { current_password, new_password } });

export const info = () => request<Info>('/api/info');
