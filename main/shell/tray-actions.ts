// What each tray menu action does. Effects are passed in, so this runs (and is tested) in Node.
import type { Core } from '../core/core.js';
import type { MenuAction } from './tray-model.js';
import { envSnippet, openAiBaseUrl, shellFlavour } from './env-snippet.js';
import type { LoginItem } from './login-item.js';

export interface TrayActionDeps {
  core: Pick<Core, 'url' | 'setPausedAll' | 'setToolPaused'>;
  platform: NodeJS.Platform;
  writeClipboard(text: string): void;
  openDashboard(): void;
  openFullWindow(): void;
  loginItem: LoginItem;
  quit(): void;
  /** Redraw the tray after a change (the core's own events may come later, or not at all). */
  refresh(): void;
  onError(err: unknown): void;
}

export function createTrayActions(deps: TrayActionDeps): (action: MenuAction) => void {
  const run = async (action: MenuAction): Promise<void> => {
    switch (action.kind) {
      case 'open-dashboard':
        return deps.openDashboard();
      case 'open-full-window':
        return deps.openFullWindow();
      case 'set-paused-all':
        await deps.core.setPausedAll(action.paused);
        return deps.refresh();
      case 'set-tool-paused':
        await deps.core.setToolPaused(action.tool, action.paused);
        return deps.refresh();
      case 'copy-base-url':
        return deps.writeClipboard(openAiBaseUrl(deps.core.url));
      case 'copy-env-snippet':
        return deps.writeClipboard(envSnippet(deps.core.url, shellFlavour(deps.platform)));
      case 'set-open-at-login':
        deps.loginItem.setEnabled(action.openAtLogin);
        return deps.refresh();
      case 'quit':
        return deps.quit();
    }
  };
  return (action) => {
    // Menu clicks can't await; a failed pause must still surface rather than vanish.
    run(action).catch(deps.onError);
  };
}
