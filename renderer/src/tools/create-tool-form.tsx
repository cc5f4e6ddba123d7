// Create a tool: a name and optional limits; the server answers with the token, shown once.
import { useState, type FormEvent } from 'react';
import type { CreatedTool } from '../../../shared/admin-api.js';
import { AdminApiError, errorMessage } from '../api/client.js';
import { useServices } from '../api/services.js';
import { ErrorNote } from '../ui/bits.js';
import { EMPTY_LIMIT_FIELDS, limitsFromFields, type LimitFields } from './limits-fields.js';
import { LimitsInputs } from './limits-inputs.js';

export function CreateToolForm(props: { onCreated: (created: CreatedTool) => void }) {
  const { client } = useServices();
  const [name, setName] = useState('');
  const [fields, setFields] = useState<LimitFields>(EMPTY_LIMIT_FIELDS);
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = limitsFromFields(fields);
    if (!parsed.ok) return setError({ message: parsed.message, field: parsed.field });
    setBusy(true);
    try {
      const created = await client.call('createTool', {
        body: { name: name.trim(), limits: parsed.limits, ...(plan ? { plan: true } : {}) },
      });
      setName('');
      setFields(EMPTY_LIMIT_FIELDS);
      setPlan(false);
      setError(undefined);
      props.onCreated(created);
    } catch (err) {
      setError({ message: errorMessage(err), field: err instanceof AdminApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      onSubmit={submit}
      aria-labelledby="create-tool-title"
      data-testid="create-tool-form"
    >
      <h2 id="create-tool-title">New tool</h2>
      <label className="field" htmlFor="create-tool-name">
        <span>Name</span>
        <input
          id="create-tool-name"
          data-testid="create-tool-name"
          required
          autoComplete="off"
          placeholder="e.g. claude-code"
          value={name}
          aria-invalid={error?.field === 'name' || undefined}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <LimitsInputs
        idPrefix="create-tool"
        value={fields}
        onChange={setFields}
        invalid={error?.field as keyof LimitFields | undefined}
      />
      <label className="field checkbox" htmlFor="create-tool-plan">
        <input
          id="create-tool-plan"
          data-testid="create-tool-plan"
          type="checkbox"
          checked={plan}
          onChange={(e) => setPlan(e.target.checked)}
        />
        <span>Uses its own plan login (Claude Pro/Max, ChatGPT Plus/Pro): metered, not billed to a key</span>
      </label>
      <ErrorNote error={error?.message} />
      <button type="submit" className="primary" disabled={busy} data-testid="create-tool-submit">
        Create tool
      </button>
    </form>
  );
}
