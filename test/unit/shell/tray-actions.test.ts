import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import {
  envSnippet,
  openAiBaseUrl,
  anthropicBaseUrl,
  shellFlavour,
} from '../../../main/shell/env-snippet.js';
import { createTrayActions, type TrayActionDeps } from '../../../main/shell/tray-actions.js';
import { toMenuTemplate } from '../../../main/shell/menu-template.js';
import type { MenuAction, MenuItemModel } from '../../../main/shell/tray-model.js';

const CORE = 'http://127.0.0.1:8484';

describe('env snippet', () => {
  it('gives both SDK families their base URL and a token placeholder (posix)', () => {
    expect(envSnippet(CORE, 'posix')).toBe(
      [
        '# Shimmy: replace the placeholder with the tool token shown when you added the tool,',
        '# or skip this and run `shimmy exec <tool> -- <command>`, which sets all of it for you.',
        "export OPENAI_BASE_URL='http://127.0.0.1:8484/v1'",
        "export OPENAI_API_KEY='<your tool token>'",
        "export ANTHROPIC_BASE_URL='http://127.0.0.1:8484'",
        "export ANTHROPIC_API_KEY='<your tool token>'",
        '',
      ].join('\n'),
    );
  });

  it('uses PowerShell syntax on Windows', () => {
    expect(shellFlavour('win32')).toBe('powershell');
    expect(shellFlavour('darwin')).toBe('posix');
    const lines = envSnippet(CORE, 'powershell').split('\n');
    expect(lines[2]).toBe('$env:OPENAI_BASE_URL = "http://127.0.0.1:8484/v1"');
    expect(lines[5]).toBe('$env:ANTHROPIC_API_KEY = "<your tool token>"');
  });

  it('adds /v1 for OpenAI only, without doubling slashes', () => {
    expect(openAiBaseUrl('http://127.0.0.1:8484/')).toBe('http://127.0.0.1:8484/v1');
    expect(anthropicBaseUrl('http://127.0.0.1:8484/')).toBe('http://127.0.0.1:8484');
  });
});

function harness(platform: NodeJS.Platform = 'linux') {
  const calls: string[] = [];
  const errors: unknown[] = [];
  let loginEnabled = false;
  const deps: TrayActionDeps = {
    core: {
      url: CORE,
      setPausedAll: async (paused) => void calls.push(`pauseAll:${paused}`),
      setToolPaused: async (name, paused) => {
        if (name === 'ghost') throw new Error('No tool named "ghost"');
        calls.push(`tool:${name}:${paused}`);
      },
    },
    platform,
    writeClipboard: (text) => void calls.push(`clipboard:${text}`),
    openDashboard: () => void calls.push('dashboard'),
    openFullWindow: () => void calls.push('full'),
    loginItem: {
      isEnabled: () => loginEnabled,
      setEnabled: (on) => {
        loginEnabled = on;
        calls.push(`login:${on}`);
      },
    },
    quit: () => void calls.push('quit'),
    refresh: () => void calls.push('refresh'),
    onError: (err) => void errors.push(err),
  };
  return { dispatch: createTrayActions(deps), calls, errors };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('tray actions', () => {
  it('pauses through the core, then redraws the tray', async () => {
    const h = harness();
    h.dispatch({ kind: 'set-paused-all', paused: true });
    await settle();
    h.dispatch({ kind: 'set-tool-paused', tool: 'aider', paused: false });
    await settle();
    expect(h.calls).toEqual(['pauseAll:true', 'refresh', 'tool:aider:false', 'refresh']);
  });

  it('copies the base URL and the platform env snippet', async () => {
    const h = harness('win32');
    h.dispatch({ kind: 'copy-base-url' });
    h.dispatch({ kind: 'copy-env-snippet' });
    await settle();
    expect(h.calls).toEqual([`clipboard:${CORE}/v1`, `clipboard:${envSnippet(CORE, 'powershell')}`]);
  });

  it('opens windows, toggles login item and quits', async () => {
    const h = harness();
    const actions: MenuAction[] = [
      { kind: 'open-dashboard' },
      { kind: 'open-full-window' },
      { kind: 'set-open-at-login', openAtLogin: true },
      { kind: 'quit' },
    ];
    for (const a of actions) h.dispatch(a);
    await settle();
    expect(h.calls).toEqual(['dashboard', 'full', 'login:true', 'refresh', 'quit']);
  });

  it('reports a failed action instead of dropping it', async () => {
    const h = harness();
    h.dispatch({ kind: 'set-tool-paused', tool: 'ghost', paused: true });
    await settle();
    expect(h.calls).toEqual([]);
    expect(h.errors).toHaveLength(1);
    expect((h.errors[0] as Error).message).toBe('No tool named "ghost"');
  });
});

describe('menu template', () => {
  it('maps each model item to Electron options and routes clicks to the dispatcher', () => {
    const seen: MenuAction[] = [];
    const items: MenuItemModel[] = [
      { type: 'normal', label: 'Open dashboard', action: { kind: 'open-dashboard' } },
      { type: 'normal', label: 'Today', action: { kind: 'open-dashboard' }, enabled: false },
      { type: 'separator' },
      {
        type: 'submenu',
        label: 'Tools',
        items: [
          {
            type: 'checkbox',
            label: 'aider',
            checked: true,
            action: { kind: 'set-tool-paused', tool: 'aider', paused: true },
          },
        ],
      },
    ];
    const t = toMenuTemplate(items, (a) => seen.push(a));
    expect(t.map((i) => [i.type, i.label, i.enabled])).toEqual([
      ['normal', 'Open dashboard', true],
      ['normal', 'Today', false],
      ['separator', undefined, undefined],
      ['submenu', 'Tools', undefined],
    ]);
    const sub = t[3]?.submenu as MenuItemConstructorOptions[];
    expect(sub[0]).toMatchObject({ type: 'checkbox', label: 'aider', checked: true });
    const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as unknown as () => void)();
    click(t[0]);
    click(sub[0]);
    expect(seen).toEqual([
      { kind: 'open-dashboard' },
      { kind: 'set-tool-paused', tool: 'aider', paused: true },
    ]);
  });
});
