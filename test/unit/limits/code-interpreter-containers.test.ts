import { describe, expect, it } from 'vitest';
import { ZERO_USAGE, type Usage } from '../../../shared/usage.js';
import {
  codeInterpreterContainers,
  withContainers,
} from '../../../main/core/limits/code-interpreter-containers.js';

describe('codeInterpreterContainers', () => {
  it('is undefined without a code interpreter tool, off the Responses API, or naming a container', () => {
    expect(codeInterpreterContainers('responses', { tools: [{ type: 'web_search' }] })).toBeUndefined();
    expect(codeInterpreterContainers('chat', { tools: [{ type: 'code_interpreter' }] })).toBeUndefined();
    expect(
      codeInterpreterContainers('responses', { tools: [{ type: 'code_interpreter', container: 'cntr_1' }] }),
    ).toBeUndefined();
  });

  it('counts one container per auto tool, at the largest memory (1 GB when none is named)', () => {
    expect(
      codeInterpreterContainers('responses', {
        tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
      }),
    ).toEqual({ containers: 1, containerMemoryGb: 1 });
    expect(
      codeInterpreterContainers('responses', {
        tools: [
          { type: 'code_interpreter', container: { type: 'auto', memory_limit: '16g' } },
          { type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } },
        ],
      }),
    ).toEqual({ containers: 2, containerMemoryGb: 16 });
  });

  it('reads a memory limit it does not know as the dearest size, 64 GB', () => {
    expect(
      codeInterpreterContainers('responses', {
        tools: [{ type: 'code_interpreter', container: { type: 'auto', memory_limit: '2g' } }],
      }),
    ).toEqual({ containers: 1, containerMemoryGb: 64 });
  });
});

describe('codeInterpreterContainers of a stored prompt', () => {
  it("counts one container at the dearest size for the prompt's unseen tools", () => {
    expect(codeInterpreterContainers('responses', { prompt: { id: 'pmpt_1' }, input: 'hi' })).toEqual({
      containers: 1,
      containerMemoryGb: 64,
    });
    expect(
      codeInterpreterContainers('responses', { prompt: { id: 'pmpt_1' }, tools: [{ type: 'web_search' }] }),
    ).toEqual({ containers: 1, containerMemoryGb: 64 });
  });

  it('counts the tools the body names instead, where it names a code interpreter', () => {
    expect(
      codeInterpreterContainers('responses', {
        prompt: { id: 'pmpt_1' },
        tools: [{ type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } }],
      }),
    ).toEqual({ containers: 1, containerMemoryGb: 4 });
  });
});

describe('withContainers', () => {
  it('prices every usage with the containers in it', () => {
    // $0.03 per GB-session (OpenAI pricing as quoted at simoncarter.ai, read 2026-11-29).
    const cost = (u: Usage) =>
      u.outputTokens * 10e-6 + (u.containers ?? 0) * (u.containerMemoryGb ?? 1) * 0.03;
    const priced = withContainers(cost, { containers: 1, containerMemoryGb: 4 });
    expect(priced({ ...ZERO_USAGE, outputTokens: 1000 })).toBeCloseTo(0.13, 10);
  });
});
