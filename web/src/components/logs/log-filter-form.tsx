'use client';
// Log filters, the same as the API's: service, minimum severity, text, attributes, trace id, and
// a pattern (set from the patterns view, shown here to be removed).
import { type FormEvent, useId, useState } from 'react';
import { $api } from '../../api/client';
import { type LogFilters, logFilterParams, readLogFilters } from '../../lib/log-search';
import { SEVERITY_OPTIONS } from '../../lib/severity';
import { Icon } from '../common/icons';
import { useUrlState } from '../frame/url-state';
import { PatternText } from './pattern-text';

const input = 'rounded-md border border-line bg-canvas px-2.5 py-1.5 text-sm';

export function LogFilterForm() {
  const { params, update } = useUrlState();
  return (
    <Fields
      key={params.toString()}
      initial={readLogFilters(params)}
      onApply={(filters) => update(logFilterParams(filters))}
    />
  );
}

function Fields({ initial, onApply }: { initial: LogFilters; onApply(filters: LogFilters): void }) {
  const [attributes, setAttributes] = useState(initial.attributes);
  const [draft, setDraft] = useState('');
  const [service, setService] = useState(initial.service);
  const [pattern, setPattern] = useState(initial.pattern);
  const ids = { service: useId(), keys: useId(), values: useId() };
  const services = $api.useQuery('get', '/api/v1/services');
  const draftKey = draft.includes('=') ? draft.slice(0, draft.indexOf('=')) : '';
  const keys = $api.useQuery('get', '/api/v1/attributes', {
    params: { query: { signal: 'logs', ...(service ? { service } : {}), limit: 100 } },
  });
  const values = $api.useQuery(
    'get',
    '/api/v1/attributes/values',
    { params: { query: { key: draftKey, signal: 'logs', ...(service ? { service } : {}), limit: 50 } } },
    { enabled: draftKey.length > 0 },
  );
  const valid = (value: string) => /^[^=\s]+=.+$/.test(value);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const pending = draft.trim();
    onApply({
      service: service.trim(),
      minSeverity: String(form.get('min_severity') ?? ''),
      contains: String(form.get('contains') ?? '').trim(),
      pattern,
      attributes: valid(pending) && !attributes.includes(pending) ? [...attributes, pending] : attributes,
      traceId: String(form.get('trace_id') ?? '')
        .trim()
        .toLowerCase(),
    });
  };
  return (
    <form onSubmit={submit} aria-label="Filter logs" className="flex flex-col gap-3 p-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted" htmlFor={ids.service}>
          Service
          <input
            id={ids.service}
            list={`${ids.service}-list`}
            value={service}
            onChange={(event) => setService(event.target.value)}
            placeholder="any service"
            autoComplete="off"
            className={`${input} w-44`}
          />
          <datalist id={`${ids.service}-list`}>
            {services.data?.services.map((s) => (
              <option key={s.name} value={s.name} />
            ))}
          </datalist>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Severity at least
          <select name="min_severity" defaultValue={initial.minSeverity} className={input}>
            <option value="">any</option>
            {SEVERITY_OPTIONS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-1 flex-col gap-1 text-xs font-medium text-muted">
          Text contains
          <input
            name="contains"
            type="search"
            defaultValue={initial.contains}
            placeholder="timeout"
            className={`${input} min-w-48`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Trace id
          <input
            name="trace_id"
            defaultValue={initial.traceId}
            placeholder="32 hex"
            className={`${input} w-64 font-mono`}
          />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${ids.keys}-input`} className="text-xs font-medium text-muted">
          Attribute
        </label>
        <input
          id={`${ids.keys}-input`}
          list={draftKey ? ids.values : ids.keys}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && valid(draft.trim())) {
              event.preventDefault();
              if (!attributes.includes(draft.trim())) setAttributes([...attributes, draft.trim()]);
              setDraft('');
            }
          }}
          placeholder="key=value, Enter to add"
          autoComplete="off"
          className={`${input} w-72 font-mono`}
        />
        <datalist id={ids.keys}>
          {keys.data?.keys.map((k) => (
            <option key={k.key} value={`${k.key}=`} />
          ))}
        </datalist>
        <datalist id={ids.values}>
          {values.data?.values.map((v) => (
            <option key={v} value={`${draftKey}=${v}`} />
          ))}
        </datalist>
        {attributes.map((attribute) => (
          <span key={attribute} className="flex items-center gap-1 rounded-md bg-raised px-2 py-0.5 font-mono text-xs">
            {attribute}
            <button
              type="button"
              aria-label={`Remove ${attribute}`}
              onClick={() => setAttributes(attributes.filter((a) => a !== attribute))}
              className="hover:text-red-600"
            >
              <Icon name="close" className="h-3 w-3" />
            </button>
          </span>
        ))}
        {pattern && (
          <span className="flex min-w-0 items-center gap-1 rounded-md bg-raised px-2 py-0.5 text-xs">
            <span className="text-muted">Pattern</span>
            <PatternText pattern={pattern} className="truncate" />
            <button
              type="button"
              aria-label="Remove the pattern"
              onClick={() => setPattern('')}
              className="hover:text-red-600"
            >
              <Icon name="close" className="h-3 w-3" />
            </button>
          </span>
        )}
        <button type="submit" className="ml-auto rounded-md bg-accent px-4 py-1.5 text-sm font-medium text-accent-fg">
          Apply
        </button>
      </div>
    </form>
  );
}
