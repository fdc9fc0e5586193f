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
      },
    },
  });
}
