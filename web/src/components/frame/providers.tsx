'use client';
// The query cache, one per browser tab, shared by every page. The time window from the URL is
// provided by the console layout (TimeProvider), which is dynamic, so no Suspense is needed.
import { keepPreviousData, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { isRetryable } from '../../api/problem';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Keep showing the last answer while the next window loads, instead of a skeleton.
        placeholderData: keepPreviousData,
        retry: (failures, error) => failures < 2 && isRetryable(error),
        refetchOnWindowFocus: true,
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
