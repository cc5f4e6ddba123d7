import { describe, expect, it } from 'vitest';
import { toolContentInput } from '../../../main/core/limits/tool-content-input.js';

/** gpt-4o-mini / gpt-4.1-mini `web_search`: "a fixed block of 8,000 input tokens per call"
 *  (openai.com/api/pricing, read 2026-11-29). */
const MINI_SEARCH_BLOCK = 8_000;
/** A vector store chunk: "max_chunk_size_tokens ... maximum 4096" (platform.openai.com/docs/
 *  api-reference/vector-stores-files/createFile, read 2026-11-29). */
const MAX_CHUNK_TOKENS = 4_096;

const body = (...tools: unknown[]) => ({ tools });

describe('toolContentInput', () => {
  it('an Anthropic web search is bounded only by the context window', () => {
    const b = body({ type: 'web_search_20250305', name: 'web_search', max_uses: 1 });
    expect(toolContentInput('anthropic', 'messages', ['claude-sonnet-4-5'], b).window).toBe(true);
  });

  it('a web fetch naming max_uses and max_content_tokens is bounded by them', () => {
    const b = body({ type: 'web_fetch_20250910', max_uses: 2, max_content_tokens: 1000 });
    expect(toolContentInput('anthropic', 'messages', ['claude-sonnet-4-5'], b)).toEqual({
      tokens: 2000,
      perCall: 0,
      window: false,
    });
    const open = body({ type: 'web_fetch_20250910', max_uses: 2 });
    expect(toolContentInput('anthropic', 'messages', ['claude-sonnet-4-5'], open).window).toBe(true);
  });

  it("Responses web_search: the window, but a mini's fixed block per call", () => {
    const b = body({ type: 'web_search' });
    expect(toolContentInput('openai', 'responses', ['gpt-5'], b).window).toBe(true);
    expect(toolContentInput('openai', 'responses', ['openai/GPT-4.1-mini'], b)).toEqual({
      tokens: 0,
      perCall: MINI_SEARCH_BLOCK,
      window: false,
    });
    // A fallback that bills what it found makes the window the bound.
    expect(toolContentInput('openai', 'responses', ['gpt-4o-mini', 'gpt-5'], b).window).toBe(true);
  });

  it('web_search_preview: free on gpt-4o and gpt-4.1, billed on reasoning models', () => {
    const b = body({ type: 'web_search_preview_2025_03_11' });
    expect(toolContentInput('openai', 'responses', ['gpt-4o'], b)).toEqual({
      tokens: 0,
      perCall: 0,
      window: false,
    });
    expect(toolContentInput('openai', 'responses', ['o3'], b).window).toBe(true);
  });

  it('other tools and endpoints bring nothing in', () => {
    expect(toolContentInput('openai', 'chat', ['gpt-5'], body({ type: 'web_search' })).window).toBe(false);
    expect(
      toolContentInput('openai', 'responses', ['gpt-5'], body({ type: 'function', name: 'f' })).window,
    ).toBe(false);
  });
});

describe('toolContentInput, Gemini', () => {
  it('URL context is bounded only by the context window', () => {
    for (const tool of [{ urlContext: {} }, { url_context: {} }])
      expect(toolContentInput('gemini', 'generate_content', ['gemini-2.5-flash'], body(tool)).window).toBe(
        true,
      );
    const fn = body({ functionDeclarations: [] });
    expect(toolContentInput('gemini', 'generate_content', ['gemini-2.5-flash'], fn).window).toBe(false);
  });
});

describe('toolContentInput, MCP', () => {
  it('a Responses mcp tool and Anthropic mcp_servers are bounded only by the context window', () => {
    const mcp = body({ type: 'mcp', server_label: 'x', server_url: 'https://x.example' });
    expect(toolContentInput('openai', 'responses', ['gpt-5'], mcp).window).toBe(true);
    const servers = { mcp_servers: [{ type: 'url', url: 'https://x.example', name: 'x' }] };
    expect(toolContentInput('anthropic', 'messages', ['claude-sonnet-4-5'], servers).window).toBe(true);
    expect(toolContentInput('anthropic', 'messages', ['claude-sonnet-4-5'], { mcp_servers: [] }).window).toBe(
      false,
    );
  });
});

describe('toolContentInput, file search', () => {
  it('max_num_results chunks of up to 4,096 tokens a call; without it, the window', () => {
    const b = body({ type: 'file_search', vector_store_ids: ['vs'], max_num_results: 5 });
    expect(toolContentInput('openai', 'responses', ['gpt-5'], b)).toEqual({
      tokens: 0,
      perCall: 5 * MAX_CHUNK_TOKENS,
      window: false,
    });
    const open = body({ type: 'file_search', vector_store_ids: ['vs'] });
    expect(toolContentInput('openai', 'responses', ['gpt-5'], open).window).toBe(true);
  });
});
