'use client';
// One way to render a query's four states: loading (skeleton), failed (problem), empty (what to
// do next) and data. Pages pass the pieces; the rules stay the same everywhere.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ProblemView } from './problem-view';
import { SkeletonRows } from './skeleton';

export function QueryState<T>({
  query,
  isEmpty,
  empty,
  skeleton,
  children,
}: {
  query: Pick<UseQueryResult<T, unknown>, 'data' | 'error' | 'isPending' | 'refetch'>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  skeleton?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.error && query.data === undefined) {
    return <ProblemView error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (query.isPending || query.data === undefined) return <>{skeleton ?? <SkeletonRows />}</>;
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return (
    <>
      {/* A failed refresh keeps the last data on screen and says so. */}
      {query.error ? <ProblemView error={query.error} onRetry={() => void query.refetch()} /> : null}
      {children(query.data)}
    </>
  );
}
