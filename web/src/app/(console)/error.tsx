'use client';
// A page that throws while rendering shows this instead of a blank screen; the frame stays.
import { ProblemView } from '../../components/common/problem-view';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ProblemView error={error} onRetry={reset} />;
}
