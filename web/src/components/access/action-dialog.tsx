'use client';
// A modal for a change that needs a second look (force a breaker, roll back, revoke a token):
// the native <dialog> (focus trapped, Escape closes, focus returns to the opener) with a title,
// the form or the summary, and the failure as the API explained it.
import { type ReactNode, useEffect, useRef } from 'react';
import { ProblemView } from '../common/problem-view';

export function ActionDialog({
  open,
  title,
  onClose,
  error,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  error?: unknown;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onClose={onClose}
      className="m-auto w-[32rem] max-w-[calc(100vw-2rem)] rounded-lg border border-line bg-panel p-0 text-fg shadow-xl backdrop:bg-black/40"
    >
      {open && (
        <div className="flex flex-col gap-3 p-5">
          <h2 className="text-base font-semibold">{title}</h2>
          {error ? <ProblemView error={error} /> : null}
          {children}
        </div>
      )}
    </dialog>
  );
}

export const BUTTON =
  'whitespace-nowrap rounded-md border border-line bg-panel px-2.5 py-1 text-sm hover:bg-raised disabled:cursor-not-allowed disabled:opacity-50';
export const PRIMARY_BUTTON =
  'rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 disabled:cursor-not-allowed disabled:opacity-50';
export const DANGER_BUTTON =
  'rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:cursor-not-allowed disabled:opacity-50';
export const INPUT =
  'rounded-md border border-line bg-canvas px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-accent/50';
