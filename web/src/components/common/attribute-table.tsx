// Key/value attributes (span, event, resource), sorted by key, values as text.
export function formatAttribute(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function AttributeTable({ attributes, label }: { attributes: Record<string, unknown>; label: string }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="text-xs text-muted">None.</p>;
  return (
    <table className="w-full text-xs" aria-label={label}>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} className="border-b border-line/60 last:border-0 align-top">
            <th scope="row" className="w-2/5 break-all py-1 pr-2 text-left font-mono font-normal text-muted">
              {key}
            </th>
            <td className="break-all py-1 font-mono">{formatAttribute(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
