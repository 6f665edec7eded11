'use client';
// The trace search form: service and operation with suggestions from the API, attribute
// filters (key=value, keys and values suggested), duration bounds, errors only. Submitting
// writes the filters to the URL (a new history entry), which runs the search.
import { type FormEvent, useId, useState } from 'react';
import { $api } from '../../api/client';
import { LIMITS, readTraceFilters, type TraceFilters, traceFilterParams } from '../../lib/trace-search';
import { Icon } from '../common/icons';
import { useUrlState } from '../frame/url-state';

const input = 'rounded-md border border-line bg-canvas px-2.5 py-1.5 text-sm';

export function TraceSearchForm() {
  const { params, update } = useUrlState();
  const initial = readTraceFilters(params);
  // Re-mount the fields when the URL changes from outside (Back, a link).
  return <FormFields key={params.toString()} initial={initial} onSearch={(f) => update(traceFilterParams(f))} />;
}

function FormFields({ initial, onSearch }: { initial: TraceFilters; onSearch(filters: TraceFilters): void }) {
  const [service, setService] = useState(initial.service);
  const [attributes, setAttributes] = useState(initial.attributes);
  const [attributeDraft, setAttributeDraft] = useState('');
  const ids = { service: useId(), operation: useId(), attribute: useId(), keys: useId(), values: useId() };

  const services = $api.useQuery('get', '/api/v1/services');
  const operations = $api.useQuery(
    'get',
    '/api/v1/services/{name}/operations',
    { params: { path: { name: service } } },
    { enabled: service.length > 0 },
  );
  const draftKey = attributeDraft.includes('=') ? attributeDraft.slice(0, attributeDraft.indexOf('=')) : '';
  const keys = $api.useQuery('get', '/api/v1/attributes', {
    params: { query: { signal: 'spans', ...(service ? { service } : {}), limit: 100 } },
  });
  const values = $api.useQuery(
    'get',
    '/api/v1/attributes/values',
    { params: { query: { key: draftKey, signal: 'spans', ...(service ? { service } : {}), limit: 50 } } },
    { enabled: draftKey.length > 0 },
  );

  const addAttribute = () => {
    const value = attributeDraft.trim();
    if (!/^[^=\s]+=.+$/.test(value) || attributes.includes(value)) return;
    setAttributes([...attributes, value]);
    setAttributeDraft('');
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const pending = attributeDraft.trim();
    onSearch({
      service,
      operation: String(form.get('operation') ?? '').trim(),
      attributes: /^[^=\s]+=.+$/.test(pending) && !attributes.includes(pending) ? [...attributes, pending] : attributes,
      minDuration: String(form.get('min_duration') ?? '').trim(),
      maxDuration: String(form.get('max_duration') ?? '').trim(),
      errorsOnly: form.get('errors') === 'on',
      limit: Number(form.get('limit')) || 50,
    });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3 p-4" aria-label="Search traces">
      <div className="grid grid-cols-[1fr_1fr_1.4fr] gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted" htmlFor={ids.service}>
          Service
          <input
            id={ids.service}
            name="service"
            list={`${ids.service}-list`}
            value={service}
            onChange={(event) => setService(event.target.value)}
            placeholder="any service"
            autoComplete="off"
            className={input}
          />
          <datalist id={`${ids.service}-list`}>
            {services.data?.services.map((s) => (
              <option key={s.name} value={s.name} />
            ))}
          </datalist>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted" htmlFor={ids.operation}>
          Operation
          <input
            id={ids.operation}
            name="operation"
            list={`${ids.operation}-list`}
            defaultValue={initial.operation}
            placeholder={service ? 'any operation' : 'choose a service for suggestions'}
            autoComplete="off"
            className={input}
          />
          <datalist id={`${ids.operation}-list`}>
            {operations.data?.operations.map((o) => (
              <option key={`${o.span_kind}:${o.name}`} value={o.name}>
                {o.span_kind}
              </option>
            ))}
          </datalist>
        </label>
        <div className="flex flex-col gap-1 text-xs font-medium text-muted">
          <label htmlFor={ids.attribute}>Attributes (key=value)</label>
          <div className="flex gap-2">
            <input
              id={ids.attribute}
              list={draftKey ? ids.values : ids.keys}
              value={attributeDraft}
              onChange={(event) => setAttributeDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && attributeDraft.includes('=')) {
                  event.preventDefault();
                  addAttribute();
                }
              }}
              placeholder="http.response.status_code=500"
              autoComplete="off"
              className={`${input} min-w-0 flex-1 font-mono`}
            />
            <button
              type="button"
              onClick={addAttribute}
              className="rounded-md border border-line px-2.5 text-sm text-fg hover:bg-raised"
            >
              Add
            </button>
          </div>
          <datalist id={ids.keys}>
            {keys.data?.keys.map((k) => (
              <option key={k.key} value={`${k.key}=`}>
                {k.value_type}
              </option>
            ))}
          </datalist>
          <datalist id={ids.values}>
            {values.data?.values.map((v) => (
              <option key={v} value={`${draftKey}=${v}`} />
            ))}
          </datalist>
        </div>
      </div>
      {attributes.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label="Attribute filters">
          {attributes.map((attribute) => (
            <li key={attribute} className="flex items-center gap-1 rounded-md bg-raised px-2 py-0.5 font-mono text-xs">
              {attribute}
              <button
                type="button"
                aria-label={`Remove ${attribute}`}
                onClick={() => setAttributes(attributes.filter((a) => a !== attribute))}
                className="rounded hover:text-red-600"
              >
                <Icon name="close" className="h-3 w-3" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Min duration
          <input
            name="min_duration"
            defaultValue={initial.minDuration}
            placeholder="e.g. 250ms"
            className={`${input} w-32`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Max duration
          <input
            name="max_duration"
            defaultValue={initial.maxDuration}
            placeholder="e.g. 2s"
            className={`${input} w-32`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Results
          <select name="limit" defaultValue={String(initial.limit)} className={input}>
            {LIMITS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="errors" defaultChecked={initial.errorsOnly} />
          Errors only
        </label>
        <button type="submit" className="ml-auto rounded-md bg-accent px-4 py-1.5 text-sm font-medium text-accent-fg">
          Search
        </button>
      </div>
    </form>
  );
}
