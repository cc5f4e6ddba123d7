// `shimmy key set` reads the key from stdin, never from argv (shell history, ps) and never echoes it.
import type { ReadStream } from 'node:tty';

export async function readSecret(
  prompt: string,
  stdin: NodeJS.ReadStream = process.stdin,
  stderr = process.stderr,
): Promise<string> {
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  stderr.write(prompt);
  const tty = stdin as ReadStream;
  tty.setRawMode(true);
  tty.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (buf: Buffer) => {
      const text = buf.toString('utf8');
      let i = 0;
      for (const ch of text) {
        i += ch.length;
        if (ch === '\r' || ch === '\n') {
          done();
          // A paste of several lines arrives in one read: keep what follows the first line break,
          // so the instance refuses a multi-line paste instead of storing its first line.
          const rest = text.slice(i).trim();
          resolve(rest ? `${value.trim()}\n${rest}` : value.trim());
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      tty.setRawMode(false);
      tty.pause();
      tty.off('data', onData);
      stderr.write('\n');
    };
    tty.on('data', onData);
  });
}
