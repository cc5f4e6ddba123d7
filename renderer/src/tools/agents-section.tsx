// Coding agents: connect one to Shimmy with a click (its own config file is written, the original
// kept for disconnect), or copy its settings by hand. Tokens never appear here: agents with a key
// command run `shimmy token`, the others get a fresh token written straight into their file.
import { useState } from 'react';
import type { AgentView, ConnectResult } from '../../../shared/agents.js';
import { errorMessage } from '../api/client.js';
import { useRoute } from '../api/use-route.js';
import { useServices } from '../api/services.js';
import { CopyButton, ErrorNote } from '../ui/bits.js';

export function AgentsSection(props: { tools: string[] }) {
  const [tool, setTool] = useState<string>();
  const chosen = tool ?? props.tools[0];
  const agents = useRoute('listAgents', { query: { tool: chosen } });
  if (props.tools.length === 0) return null;
  return (
    <section className="card" data-testid="agents-section" aria-label="Coding agents">
      <h2>Coding agents</h2>
      <label>
        Connect as tool{' '}
        <select value={chosen} onChange={(e) => setTool(e.target.value)} data-testid="agent-tool">
          {props.tools.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <ErrorNote error={agents.error} />
      <ul className="plain-list">
        {agents.data?.map((a) => (
          <AgentRow key={a.id} agent={a} tool={chosen!} onChanged={agents.reload} />
        ))}
      </ul>
    </section>
  );
}

function AgentRow(props: { agent: AgentView; tool: string; onChanged: () => void }) {
  const { client } = useServices();
  const a = props.agent;
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<ConnectResult>();
  const act = (p: Promise<unknown>, after?: (v: unknown) => void) =>
    p.then(
      (v) => {
        setError(undefined);
        after?.(v);
        props.onChanged();
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  return (
    <li data-testid={`agent-${a.id}`}>
      <strong>{a.label}</strong> <code>{a.file}</code>{' '}
      {a.connected ? <span className="badge info">connected</span> : null}{' '}
      {a.connected ? (
        <button
          type="button"
          className="small"
          data-testid={`disconnect-${a.id}`}
          onClick={() =>
            act(client.call('disconnectAgent', { params: { agent: a.id } }), () => setResult(undefined))
          }
        >
          Disconnect
        </button>
      ) : (
        <button
          type="button"
          className="small"
          data-testid={`connect-${a.id}`}
          onClick={() =>
            act(client.call('connectAgent', { params: { agent: a.id }, body: { tool: props.tool } }), (v) =>
              setResult(v as ConnectResult),
            )
          }
        >
          Connect as {props.tool}
        </button>
      )}
      <ErrorNote error={error} />
      {result && (
        <pre className="code" data-testid={`agent-diff-${a.id}`}>
          {result.diff || 'Already connected: nothing changed.'}
        </pre>
      )}
      {a.note && <p className="muted">{a.note}</p>}
      <details>
        <summary>Set it up by hand</summary>
        {a.exec && (
          <div className="copy-line">
            <code>{a.exec}</code>
            <CopyButton text={a.exec} />
          </div>
        )}
        <p className="muted">
          {a.credential === 'helper'
            ? 'The agent runs this command for a short-lived token itself:'
            : 'Replace shm_… with a token of the tool (shimmy token --tool NAME --ttl 30d):'}
        </p>
        <div className="copy-line">
          <pre className="code" data-testid={`agent-snippet-${a.id}`}>
            {a.snippet}
          </pre>
          <CopyButton text={a.snippet} />
        </div>
      </details>
    </li>
  );
}
