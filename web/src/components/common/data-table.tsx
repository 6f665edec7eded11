'use client';
// A table that takes a column config (as headlamp does for each resource kind): a new list page
// is a few lines. Sortable columns have a button in their header and aria-sort.
import { type ReactNode, useMemo, useState } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Present → the column sorts by this value. */
  sortValue?: (row: T) => string | number;
  align?: 'left' | 'right';
  className?: string;
}

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  initialSort,
  caption,
  onRowClick,
  selectedKey,
}: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  initialSort?: { key: string; direction: 'asc' | 'desc' };
  caption?: string;
  /** Makes rows selectable (the first cell should hold a link or button for keyboard users). */
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
}) {
  const [sort, setSort] = useState(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!column?.sortValue || !sort) return rows;
    const value = column.sortValue;
    const factor = sort.direction === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      return (x < y ? -1 : x > y ? 1 : 0) * factor;
    });
  }, [rows, columns, sort]);

  return (
    <table className="w-full border-collapse text-sm">
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr className="border-b border-line text-left text-xs uppercase tracking-wider text-muted">
          {columns.map((column) => {
            const active = sort?.key === column.key;
            const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
            return (
              <th
                key={column.key}
                scope="col"
                aria-sort={ariaSort}
                className={`px-3 py-2 font-medium ${column.align === 'right' ? 'text-right' : ''} ${column.className ?? ''}`}
              >
                {column.sortValue ? (
                  <button
                    type="button"
                    className="inline-flex items-center gap-1 uppercase tracking-wider hover:text-fg"
                    onClick={() =>
                      setSort({
                        key: column.key,
                        direction: active && sort.direction === 'asc' ? 'desc' : 'asc',
                      })
                    }
                  >
                    {column.header}
                    <span aria-hidden="true">{active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => {
          const key = rowKey(row);
          return (
            <tr
              key={key}
              onClick={onRowClick ? () => onRowClick(row) : undefined}
              aria-selected={onRowClick ? selectedKey === key : undefined}
              className={`border-b border-line/70 last:border-0 ${onRowClick ? 'cursor-pointer hover:bg-raised/60' : ''} ${
                selectedKey === key ? 'bg-accent/8' : ''
              }`}
            >
              {columns.map((column) => (
                <td
                  key={column.key}
                  className={`px-3 py-2 align-middle ${column.align === 'right' ? 'text-right tabular-nums' : ''} ${
                    column.className ?? ''
                  }`}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
