// `shimmy --help` comes from help-table.ts, without loading a command module (issue 16: the CLI's
// own start-up); what it prints must stay what commander prints for the real commands.
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildFullProgram, buildProgram, modulesFor } from '../../../main/cli/program.js';

/** The help text at a fixed width (the terminal's otherwise), as commander writes it for --help. */
function helpAt(program: Command, columns: number): string {
  program.configureOutput({ getOutHelpWidth: () => columns });
  return program.helpInformation();
}

const argv = (...args: string[]) => ['node', 'shimmy', ...args];

describe('the top-level help', () => {
  it('loads no command module for --help, -h and help', () => {
    expect(modulesFor(argv('--help'))).toEqual([]);
    expect(modulesFor(argv('-h'))).toEqual([]);
    expect(modulesFor(argv('help'))).toEqual([]);
  });

  it('loads only the named command for `help CMD`, `CMD --help` and the command itself', () => {
    expect(modulesFor(argv('help', 'tool'))).toEqual(['tool']);
    expect(modulesFor(argv('tool', '--help'))).toEqual(['tool']);
    expect(modulesFor(argv('logs', '--limit', '5'))).toEqual(['usage']);
  });

  it('prints what the real commands print, at any width', async () => {
    const full = await buildFullProgram();
    for (const columns of [40, 80, 132]) {
      const light = await buildProgram(argv('--help'));
      expect(helpAt(light, columns)).toBe(helpAt(full, columns));
    }
  });
});
