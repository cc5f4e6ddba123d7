import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests that leave an unhandled error behind fail the run (CONVENTIONS practice 3).
    dangerouslyIgnoreUnhandledErrors: false,
    // Vitest's default is one worker fewer than the cores: on CI's 2 cores that ran every file one
    // at a time, though most of a file's time is spent waiting on the processes, sockets and
    // databases it starts. Two at once there: the README's CI section has the times.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/agents/**'],
          setupFiles: ['test/support/tokenizer-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: './renderer/vite.config.ts',
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/src/**/*.test.tsx', 'renderer/src/**/*.test.ts'],
        },
      },
      {
        // The real coding agents (installed into .cache/agents by scripts/install-agents.mjs).
        test: {
          name: 'agents',
          environment: 'node',
          include: ['test/agents/**/*.test.ts'],
          // A test runs the agent up to three times (connect, run, disconnect), each bounded by
          // AGENT_RUN_LIMIT_MS (test/agents/support/agent-process.ts).
          testTimeout: 240_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          setupFiles: ['test/support/tokenizer-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
