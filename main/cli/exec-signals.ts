// How `shimmy exec` passes signals to its command. Ctrl-C and Ctrl-\ go from the terminal to the
// whole foreground process group, so the command already has them: exec only stays alive (to
// revoke the token when the command ends) and never sends them again, or the command would see
// each one twice (tools that quit on a double Ctrl-C would quit). SIGTERM is sent to exec alone
// (kill, a supervisor, a closing IDE): it is forwarded once. SIGHUP (the terminal closed) is
// forwarded too, and the token is revoked at once: a command that ignores the hangup may keep
// running, but not with a live token.
import type { ChildProcess } from 'node:child_process';

export function relaySignals(child: ChildProcess, onHangup: () => void): () => void {
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGINT', () => undefined],
    ['SIGQUIT', () => undefined],
    ['SIGTERM', () => void child.kill('SIGTERM')],
    [
      'SIGHUP',
      () => {
        child.kill('SIGHUP');
        onHangup();
      },
    ],
  ];
  for (const [sig, h] of handlers) process.on(sig, h);
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}
