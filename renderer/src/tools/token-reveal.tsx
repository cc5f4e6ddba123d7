// A freshly minted token, shown once, with copy-ready setup for common tools.
import { useEffect, useRef } from 'react';
import { CopyButton } from '../ui/bits.js';

export function setupSnippets(toolName: string, origin: string, token: string) {
  const base = origin.replace(/\/+$/, '');
  return {
    exec: `shimmy exec --tool ${toolName} -- <command>`,
    env: [
      `OPENAI_BASE_URL=${base}/v1`,
      `OPENAI_API_KEY=${token}`,
      `ANTHROPIC_BASE_URL=${base}`,
      `ANTHROPIC_API_KEY=${token}`,
    ].join('\n'),
  };
}

export function TokenReveal(props: { toolName: string; token: string; origin: string; onDone: () => void }) {
  const s = setupSnippets(props.toolName, props.origin, props.token);
  const ref = useRef<HTMLElement>(null);
  // The form is below the list: move focus (and the view) to the token so it isn't missed.
  useEffect(() => ref.current?.focus(), [props.token]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card reveal"
      aria-label={`Token for ${props.toolName}`}
      data-testid="token-reveal"
    >
      <h2>Token for {props.toolName}</h2>
      <p className="banner warn">Copy it now: Shimmy keeps only a hash and cannot show it again.</p>
      <div className="copy-line">
        <code data-testid="created-token" className="token">
          {props.token}
        </code>
        <CopyButton text={props.token} label="Copy token" testId="copy-token" />
      </div>
      <h3>Run a command through Shimmy</h3>
      <div className="copy-line">
        <code data-testid="setup-exec">{s.exec}</code>
        <CopyButton text={s.exec} />
      </div>
      <h3>Or set these in the tool's environment</h3>
      <div className="copy-line">
        <pre className="code" data-testid="setup-env">
          {s.env}
        </pre>
        <CopyButton text={s.env} />
      </div>
      <button type="button" onClick={props.onDone} data-testid="token-done">
        I have saved it
      </button>
    </section>
  );
}
