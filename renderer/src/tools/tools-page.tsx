// Tools: each gets its own token, budget and rate limits.
import { useState } from 'react';
import { useRoute, onConfig } from '../api/use-route.js';
import { EmptyState, ErrorNote, Loading } from '../ui/bits.js';
import { CreateToolForm } from './create-tool-form.js';
import { TokenReveal } from './token-reveal.js';
import { ToolRow } from './tool-row.js';
import { AgentsSection } from './agents-section.js';
import { SessionSpend } from './session-spend.js';

export function ToolsPage() {
  const tools = useRoute('listTools', undefined, onConfig('tools'));
  const info = useRoute('info');
  const [revealed, setRevealed] = useState<{ toolName: string; token: string }>();
  const origin = info.data?.url ?? window.location.origin;

  return (
    <div className="page" data-testid="page-tools">
      <h1 className="page-title">Tools</h1>
      {revealed && (
        <TokenReveal
          toolName={revealed.toolName}
          token={revealed.token}
          origin={origin}
          onDone={() => setRevealed(undefined)}
        />
      )}
      <ErrorNote error={tools.error} />
      {!tools.data && !tools.error && <Loading />}
      {tools.data && tools.data.length === 0 && (
        <EmptyState title="No tools yet" testId="tools-empty">
          <p>
            Create one below for each program that calls an AI API (Claude Code, Codex, a script). Each gets
            its own token, so its spend and limits are tracked on their own.
          </p>
        </EmptyState>
      )}
      {tools.data && tools.data.length > 0 && (
        <ul className="plain-list">
          {tools.data.map((t) => (
            <ToolRow
              key={t.name}
              tool={t}
              onChanged={tools.reload}
              onToken={(token) => setRevealed({ toolName: t.name, token })}
            />
          ))}
        </ul>
      )}
      <CreateToolForm
        onCreated={(c) => {
          setRevealed({ toolName: c.tool.name, token: c.token });
          tools.reload();
        }}
      />
      {tools.data && <AgentsSection tools={tools.data.map((t) => t.name)} />}
      <SessionSpend />
    </div>
  );
}
