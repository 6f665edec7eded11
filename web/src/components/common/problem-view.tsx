'use client';
// Shows an API failure as the API explained it (problem+json title, detail, field errors).
import { type Problem, toProblem } from '../../api/problem';

export function ProblemView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const problem: Problem = toProblem(error);
  return (
    <div role="alert" className="m-3 rounded-lg border border-red-500/40 bg-red-500/5 p-4 text-sm">
      <p className="font-medium text-red-700 dark:text-red-300">
        {problem.title}
        {problem.status !== undefined && <span className="ml-2 font-mono text-xs opacity-80">{problem.status}</span>}
      </p>
      {problem.detail && <p className="mt-1">{problem.detail}</p>}
      {problem.errors.length > 0 && (
        <ul className="mt-2 list-disc pl-5">
          {problem.errors.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              <code className="font-mono">{field.path}</code> {field.message}
            </li>
          ))}
        </ul>
      )}
      {(problem.code || onRetry) && (
        <div className="mt-3 flex items-center gap-3">
          {onRetry && (
            <button
              type="button"
              onClick={onRetry}
              className="rounded-md border border-line bg-panel px-2.5 py-1 text-sm hover:bg-raised"
            >
              Try again
            </button>
          )}
          {problem.code && <span className="font-mono text-xs text-muted">{problem.code}</span>}
        </div>
      )}
    </div>
  );
}
