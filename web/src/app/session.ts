// The logged-in session: token and user in localStorage, so a reload keeps it. The token is
// checked with GET /api/auth/me on start (see app/App.tsx).
import type { User } from '../api/types';

const TOKEN_KEY = 'sv.token';
const USER_KEY = 'sv.user';

export interface Session {
  token: string;
  user: User;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const token = localStorage.getItem(TOKEN_KEY);
    const user = localStorage.getItem(USER_KEY);
    if (!token || !user) return null;
    return { token, user: JSON.parse(user) as User };
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session): void {
  localStorage.setItem(TOKEN_KEY, session.token);
  localStorage.setItem(USER_KEY, JSON.stringify(session.user));
  current = session;
  emit();
}

/** Updates the stored user (e.g. after GET /api/auth/me) keeping the token. */
export function updateUser(user: User): void {
  if (current) setSession({ token: current.token, user });
}

/** Forgets the token and user. Other data (the PDV cart) stays in localStorage on purpose. */
export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  current = null;
  emit();
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-reads localStorage (tests; another tab logging out). */
export function reloadSession(): void {
  current = read();
  emit();
}
