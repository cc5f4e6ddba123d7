// The Prices page names the catalog's library and version: looked up when first asked, not when
// the pricing module loads (issue 16: ~10 ms of every start), and still the installed package's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogLibrary } from '../../../main/core/pricing/index.js';

describe('catalogLibrary', () => {
  it("is the installed @pydantic/genai-prices package's name and version", () => {
    const entry = createRequire(import.meta.url).resolve('@pydantic/genai-prices');
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(catalogLibrary()).toBe(`@pydantic/genai-prices ${pkg.version}`);
    expect(catalogLibrary()).toBe(catalogLibrary());
  });
});
