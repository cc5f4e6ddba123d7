// One tool: its limits and tokens, and the actions on it (edit limits, pause, rotate, remove).
import { useState, type FormEvent } from 'react';
import type { ToolView } from '../../../shared/admin-api.js';
import { errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { formatUsd } from '../format/money.js';
import { formatCount, formatDateTime } from '../format/numbers.js';
import { ConfirmButton, ErrorNote } from '../ui/bits.js';
import { fieldsFromLimits, limitsFromFields, type LimitFields } from './limits-fields.js';
import { LimitsInputs } from './limits-inputs.js';

export function limitsSummary(t: ToolView, locale?: string): string {
  const l = t.limits;
  const parts: string[] = [];
  if (l.dailyUsd !== undefined) parts.push(`${formatUsd(l.dailyUsd, locale)}/day`);
  if (l.monthlyUsd !== undefined) parts.push(`${formatUsd(l.monthlyUsd, locale)}/month`);
  if (l.rpm !== undefined) parts.push(`${formatCount(l.rpm, locale)} req/min`);
  if (l.tpm !== undefined) parts.push(`${formatCount(l.tpm, locale)} tokens/min`);
  if (l.models?.length) parts.push(`models: ${l.models.join(', ')}`);
  if (l.allowUnpriced) parts.push('unpriced models allowed');
  if (l.planMaxPercent5h !== undefined)
    parts.push(`stop at ${l.planMaxPercent5h}% of the 5-hour plan window`);
  return parts.length ? parts.join(' · ') : 'no limits';
}

export function ToolRow(props: { tool: ToolView; onChanged: () => void; onToken: (token: string) => void }) {
  const { client, locale } = useServices();
  const t = props.tool;
  const [editing, setEditing] = useState<LimitFields>();
  const [error, setError] = useState<string>();
  const [invalid, setInvalid] = useState<keyof LimitFields>();

  const act = (p: Promise<unknown>) =>
    p.then(
      () => {
        setError(undefined);
        props.onChanged();
      },
      (e: unknown) => setError(errorMessage(e)),
    );

  const saveLimits = (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const parsed = limitsFromFields(editing);
    if (!parsed.ok) {
      setInvalid(parsed.field);
      return setError(parsed.message);
    }
    setInvalid(undefined);
    void act(
      client
        .call('patchTool', { params: { name: t.name }, body: { limits: parsed.limits } })
        .then(() => setEditing(undefined)),
    );
  };

  return (
    <li className="card tool-row" data-testid={`tool-row-${t.name}`} aria-label={t.name}>
      <div className="card-head">
        <h3>
          {t.name} {t.paused && <span className="badge warn">paused</span>}
        </h3>
        <div className="actions">
          <button
            type="button"
            className="small"
            data-testid={`pause-${t.name}`}
            aria-pressed={t.paused}
            onClick={() =>
              act(client.call('patchTool', { params: { name: t.name }, body: { paused: !t.paused } }))
            }
          >
            {t.paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            className="small"
            data-testid={`plan-${t.name}`}
            aria-pressed={t.plan === true}
            title="The tool signs in with its own Claude or ChatGPT plan; Shimmy meters it and forwards its credential to the plan's official host only"
            onClick={() =>
              act(client.call('patchTool', { params: { name: t.name }, body: { plan: !t.plan } }))
            }
          >
            {t.plan ? 'Plan login: on' : 'Plan login: off'}
          </button>
          <button
            type="button"
            className="small"
            data-testid={`edit-${t.name}`}
            aria-expanded={editing !== undefined}
            onClick={() => setEditing(editing ? undefined : fieldsFromLimits(t.limits))}
          >
            Edit limits
          </button>
          <ConfirmButton
            label="Rotate"
            confirmLabel="Rotate token"
            question="Old tokens stop working."
            testId={`rotate-${t.name}`}
            onConfirm={() =>
              client.call('rotateTool', { params: { name: t.name } }).then(
                (r) => {
                  props.onToken(r.token);
                  props.onChanged();
                },
                (e: unknown) => setError(errorMessage(e)),
              )
            }
          />
          <ConfirmButton
            label="Remove"
            confirmLabel={`Remove ${t.name}`}
            question="Its tokens stop working; its history stays."
            testId={`remove-${t.name}`}
            onConfirm={() => act(client.call('deleteTool', { params: { name: t.name } }))}
          />
        </div>
      </div>
      <p className="muted" data-testid={`limits-${t.name}`}>
        {limitsSummary(t, locale)}
      </p>
      <p className="muted small-text">
        Tokens: {t.tokens.map((tok) => tok.hint).join(', ') || 'none'} · created{' '}
        {formatDateTime(t.createdAt, locale)}
      </p>
      {t.plan && <PlanHint name={t.name} />}
      {editing && (
        <form onSubmit={saveLimits} aria-label={`Limits of ${t.name}`}>
          <LimitsInputs idPrefix={`edit-${t.name}`} value={editing} onChange={setEditing} invalid={invalid} />
          <div className="actions">
            <button type="submit" className="primary small" data-testid={`save-limits-${t.name}`}>
              Save limits
            </button>
            <button type="button" className="small" onClick={() => setEditing(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

/** How a plan tool identifies itself: its own login stays, the Shimmy token goes in a header. */
function PlanHint({ name }: { name: string }) {
  return (
    <div className="banner info small-text" data-testid={`plan-hint-${name}`}>
      Uses its own plan login: the tool keeps its own sign-in and sends its Shimmy token in the{' '}
      <code>x-shimmy-token</code> header (Claude Code: <code>ANTHROPIC_CUSTOM_HEADERS</code>; Codex: its
      provider&apos;s <code>http_headers</code>). Its spend is shown at API prices but not counted against USD
      budgets. Wire it with <code>shimmy connect claude-code --plan --tool {name}</code> or{' '}
      <code>shimmy connect codex --plan --tool {name}</code>.
    </div>
  );
}
