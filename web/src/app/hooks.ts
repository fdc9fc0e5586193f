import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'preact/hooks';
import { useSyncExternalStore } from 'react';
import { info } from '../api/auth';
import { DEFAULT_TIMEZONE } from '../lib/dates';
import { getSession, subscribeSession } from './session';

export function useSession() {
  return useSyncExternalStore(subscribeSession, getSession);
}

/** The business time zone from GET /api/info (São Paulo until it answers). */
export function useTimezone(): string {
  const q = useQuery({ queryKey: ['info'], queryFn: info, staleTime: Infinity });
  return q.data?.timezone ?? DEFAULT_TIMEZONE;
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
