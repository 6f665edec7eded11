'use client';
// A service's RED series over the global time window.
import { $api } from '../../api/client';
import { useTimeWindow } from '../frame/time-context';

export function useServiceRed(name: string, options: { enabled?: boolean } = {}) {
  const { from, to } = useTimeWindow();
  return $api.useQuery(
    'get',
    '/api/v1/services/{name}/red',
    { params: { path: { name }, query: { from, to } } },
    { enabled: options.enabled ?? true },
  );
}
