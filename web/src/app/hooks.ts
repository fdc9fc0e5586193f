import { useEffect, useState } from 'preact/hooks';
import { useSyncExternalStore } from 'react';
import { serverReachable, subscribeReachable } from '../api/connectivity';
import { getSession, subscribeSession } from './session';

export function useSession() {
  return useSyncExternalStore(subscribeSession, getSession);
}

/** Whether the server answered the last request (api/connectivity.ts). */
export function useServerReachable(): boolean {
  return useSyncExternalStore(subscribeReachable, serverReachable);
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Sistema de Vendas`;
  }, [title]);
}
