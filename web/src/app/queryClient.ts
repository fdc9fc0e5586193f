import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Retry only what may be transient (network, 5xx); a 4xx will not change by retrying.
        retry: (count, error) =>
          count < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500),
        refetchOnWindowFocus: false,
        staleTime: 15_000,
        // Always ask: the server may be on this computer while the browser says it is offline,
        // and the queries the PDV needs offline answer from their copies (api/offlineCopy.ts).
        networkMode: 'always',
      },
      // A sale is never held back waiting for `navigator.onLine`: it goes to the outbox instead.
      mutations: { networkMode: 'always' },
    },
  });
}
