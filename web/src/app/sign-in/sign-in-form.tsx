'use client';
import { useActionState } from 'react';
import { type SignInState, signIn } from './actions';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, { error: null });
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="next" value={next} />
      <label htmlFor="token" className="text-sm font-medium">
        API token
      </label>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        aria-invalid={state.error ? true : undefined}
        aria-describedby={state.error ? 'token-error' : undefined}
        className="rounded-md border border-line bg-canvas px-3 py-2 font-mono text-sm"
      />
      {state.error && (
        <p id="token-error" role="alert" className="text-sm text-red-600 dark:text-red-400">
          {state.error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-fg disabled:opacity-60"
      >
        {pending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
