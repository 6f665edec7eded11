'use client';
// The filter control of the list pages: a labelled <select> whose choice is one URL query
// parameter (pushed, so Back undoes it; the empty choice removes the parameter), so the filtered
// view is a link like every other.
import { useUrlState, useUrlValue } from '../frame/url-state';

export interface UrlSelectOption {
  value: string;
  label: string;
}

export function UrlSelect({
  id,
  label,
  param,
  value,
  options,
  className = 'bg-panel py-1.5',
}: {
  id: string;
  /** Said to screen readers and used by getByLabel in tests. */
  label: string;
  param: string;
  /** The current choice as the page understands it ('' for none). */
  value: string;
  options: readonly UrlSelectOption[];
  className?: string;
}) {
  const { update } = useUrlState();
  const [shown, setShown] = useUrlValue(value);
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        value={shown}
        onChange={(event) => {
          setShown(event.target.value);
          update({ [param]: event.target.value });
        }}
        className={`rounded-md border border-line px-2 text-sm font-normal ${className}`}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
}

/** Options for plain values, shown as they are, after a first "any" choice. */
export function withAny(anyLabel: string, values: readonly string[]): UrlSelectOption[] {
  return [{ value: '', label: anyLabel }, ...values.map((value) => ({ value, label: value }))];
}
