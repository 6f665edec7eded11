'use client';
// The editor: the draft is checked as you type (JSON, then the document's schema, the same
// validator as the server); "Review" shows the structured diff against the version the draft
// started from, and Publish sends it with that base version, so a version that landed in the
// meantime makes the server refuse it (409) instead of being overwritten.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { $api } from '../../api/client';
import { BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { Panel } from '../common/page-header';
import { ProblemView } from '../common/problem-view';
import { diffDocuments } from './config-diff';
import { DiffView } from './diff-view';
import { StartRolloutDialog } from './rollout-start';
import { checkDraft } from './schema-check';

export interface EditorSource {
  service: string;
  environment: string;
  latestVersion: number;
  content: unknown;
  schema: unknown;
}

function pretty(value: unknown): string {
  return value === undefined ? '{}\n' : `${JSON.stringify(value, null, 2)}\n`;
}

export function ConfigEditor({ source, canPublish }: { source: EditorSource; canPublish: boolean }) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState({ version: source.latestVersion, content: source.content });
  const [text, setText] = useState(() => pretty(source.content));
  const [reviewing, setReviewing] = useState(false);
  const [message, setMessage] = useState('');
  const [staging, setStaging] = useState(false);
  const baseText = pretty(base.content);
  const edited = text !== baseText;

  // Untouched drafts follow new versions (someone else's publish, a rollback); an edited draft
  // keeps its base and the banner below says that publishing it will be refused.
  useEffect(() => {
    if (!edited && source.latestVersion !== base.version) {
      setBase({ version: source.latestVersion, content: source.content });
      setText(pretty(source.content));
    }
  }, [edited, source.latestVersion, source.content, base.version]);

  const check = useMemo(() => checkDraft(text, source.schema), [text, source.schema]);
  const diff = useMemo(() => (check.ok ? diffDocuments(base.content ?? {}, check.value) : []), [check, base.content]);

  const publish = $api.useMutation('post', '/api/v1/config/{service}/{environment}/versions', {
    onSuccess: (version) => {
      setBase({ version: version.version, content: version.content });
      setText(pretty(version.content));
      setReviewing(false);
      setMessage('');
      void queryClient.invalidateQueries();
    },
  });

  const stale = source.latestVersion !== base.version;
  return (
    <Panel
      title={base.version === 0 ? 'New document' : `Editing from v${base.version}`}
      actions={
        edited && (
          <button
            type="button"
            className="text-sm text-accent hover:underline"
            onClick={() => {
              setBase({ version: source.latestVersion, content: source.content });
              setText(pretty(source.content));
              setReviewing(false);
              publish.reset();
            }}
          >
            Discard changes
          </button>
        )
      }
    >
      <div className="flex flex-col gap-3 p-4">
        {stale && (
          <p role="status" className="rounded-md bg-amber-500/15 px-3 py-2 text-sm text-amber-800 dark:text-amber-300">
            v{source.latestVersion} was published after you started from v{base.version}. Publishing this draft will be
            refused; discard it, or copy your change, and start again from v{source.latestVersion}.
          </p>
        )}
        <textarea
          aria-label="Configuration document (JSON)"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setReviewing(false);
          }}
          readOnly={!canPublish}
          spellCheck={false}
          rows={Math.min(28, Math.max(10, text.split('\n').length + 1))}
          className="w-full rounded-md border border-line bg-canvas p-3 font-mono text-xs leading-5 focus:outline-none focus:ring-2 focus:ring-accent/50"
        />
        <div aria-live="polite" className="text-sm">
          {check.ok ? (
            <p className="text-emerald-700 dark:text-emerald-300">
              {source.schema ? 'Valid JSON that satisfies the schema.' : 'Valid JSON (this document has no schema).'}
            </p>
          ) : (
            <div className="rounded-md border border-red-500/40 bg-red-500/5 px-3 py-2">
              <p className="font-medium text-red-700 dark:text-red-300">
                {check.kind === 'syntax' ? 'Not valid JSON' : `Breaks the schema in ${check.problems.length} place(s)`}
              </p>
              <ul className="mt-1 list-disc pl-5">
                {check.problems.map((p) => (
                  <li key={`${p.path}:${p.message}`}>
                    {p.path && <code className="font-mono text-xs">{p.path}</code>} {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        {canPublish &&
          (reviewing && check.ok ? (
            <div className="flex flex-col gap-3 rounded-md border border-line">
              <h3 className="border-b border-line px-3 py-2 text-sm font-medium">
                Changes from v{base.version} ({diff.length})
              </h3>
              <DiffView lines={diff} label="Changes to publish" />
              <form
                className="flex flex-wrap items-end gap-2 border-t border-line p-3"
                onSubmit={(event) => {
                  event.preventDefault();
                  publish.mutate({
                    params: { path: { service: source.service, environment: source.environment } },
                    body: { base_version: base.version, content: check.value, message: message.trim() },
                  });
                }}
              >
                <label className="flex flex-1 flex-col gap-1 text-xs font-medium text-muted">
                  Message (why; shown in the history and the audit log)
                  <input
                    required
                    value={message}
                    onChange={(event) => setMessage(event.target.value)}
                    placeholder="raise the checkout timeout"
                    className={INPUT}
                  />
                </label>
                <button type="button" className={BUTTON} onClick={() => setReviewing(false)}>
                  Keep editing
                </button>
                {base.version > 0 && (
                  // A staged rollout needs a stable version for the rest of the instances to keep.
                  <button
                    type="button"
                    className={BUTTON}
                    disabled={!message.trim() || diff.length === 0 || stale}
                    onClick={() => setStaging(true)}
                  >
                    Start rollout…
                  </button>
                )}
                <button
                  type="submit"
                  className={PRIMARY_BUTTON}
                  disabled={!message.trim() || diff.length === 0 || publish.isPending}
                >
                  {publish.isPending ? 'Publishing…' : `Publish v${base.version + 1}`}
                </button>
              </form>
              {publish.isError ? <ProblemView error={publish.error as unknown} /> : null}
              <StartRolloutDialog
                open={staging}
                draft={{
                  service: source.service,
                  environment: source.environment,
                  baseVersion: base.version,
                  content: check.value,
                  message: message.trim(),
                }}
                onClose={() => setStaging(false)}
                onStarted={() => {
                  setStaging(false);
                  setReviewing(false);
                  setMessage('');
                  setBase({ version: base.version + 1, content: check.value });
                  setText(pretty(check.value));
                }}
              />
            </div>
          ) : (
            <div className="flex justify-end">
              <button
                type="button"
                className={PRIMARY_BUTTON}
                disabled={!check.ok || !edited}
                onClick={() => setReviewing(true)}
              >
                Review changes
              </button>
            </div>
          ))}
      </div>
    </Panel>
  );
}
