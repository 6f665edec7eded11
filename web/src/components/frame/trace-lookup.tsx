'use client';
// "Go to trace" in the top bar, on every page: paste a trace id from a log line, an error report
// or a response header and open the trace (Jaeger's "Lookup by Trace ID"). What it accepts is
// lib/trace-id.ts; anything else says so under the field instead of opening a page that 404s.
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { parseTraceId } from '../../lib/trace-id';
import { Icon } from '../common/icons';
import { useGlobalHref } from './url-state';

export function TraceLookup() {
  const router = useRouter();
  const href = useGlobalHref();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const errorId = useId();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (text.trim() === '') return;
    const id = parseTraceId(text);
    setInvalid(id === null);
    if (id === null) return;
    setText('');
    router.push(href(`/traces/${id}`));
  };

  return (
    <search aria-label="Go to trace" className="relative mr-auto">
      <form onSubmit={submit}>
        <Icon name="search" className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-muted" />
        <input
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setInvalid(false);
          }}
          onBlur={() => setInvalid(false)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setInvalid(false);
          }}
          aria-label="Trace ID"
          aria-invalid={invalid}
          aria-describedby={invalid ? errorId : undefined}
          placeholder="Go to trace ID…"
          spellCheck={false}
          autoComplete="off"
          className="w-72 rounded-md border border-line bg-canvas py-1.5 pl-8 pr-2.5 font-mono text-sm placeholder:font-sans aria-[invalid=true]:border-red-500"
        />
        {invalid && (
          <p
            id={errorId}
            role="alert"
            className="absolute left-0 top-full mt-1 w-96 rounded-md border border-line bg-panel px-3 py-2 text-xs text-red-700 shadow-lg dark:text-red-300"
          >
            Not a trace ID. Paste 32 hex characters (or 16 for a 64-bit ID), or a traceparent or B3 header value.
          </p>
        )}
      </form>
    </search>
  );
}
