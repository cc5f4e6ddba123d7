import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBuilderConfig, pngSize, targetNames } from './builder-config-check.js';

// js-yaml ships no types, and electron-builder's validator is not a public export: load both
// through require with the one signature each we use.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as {
  DebugLogger: new (enabled: boolean) => unknown;
};

type Json = Parameters<typeof checkBuilderConfig>[0];
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const load = async (): Promise<Json> =>
  yaml.load(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as Json;
const clone = (v: Json): Record<string, Json> => structuredClone(v) as Record<string, Json>;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('has everything Shimmy needs and every referenced file exists', async () => {
    expect(checkBuilderConfig(await load(), ROOT)).toEqual([]);
  });

  it('builds dmg + zip, nsis, AppImage + deb', async () => {
    const c = clone(await load());
    expect(targetNames(c.mac)).toEqual(['dmg', 'zip']);
    expect(targetNames(c.win)).toEqual(['nsis']);
    expect(targetNames(c.linux)).toEqual(['appimage', 'deb']);
  });
});

describe('the config checks catch a broken config', () => {
  it('electron-builder rejects an unknown option', async () => {
    const c = clone(await load());
    (c.mac as Record<string, Json>).hardenedRuntim = true;
    await expect(validateConfiguration(c, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('keytar packed inside the asar', async () => {
    const c = clone(await load());
    c.asarUnpack = ['**/*.node'];
    expect(checkBuilderConfig(c, ROOT)).toEqual([
      'asarUnpack must include node_modules/keytar/lib/keytar.js',
    ]);
    delete c.asarUnpack;
    expect(checkBuilderConfig(c, ROOT)).toEqual([
      'asarUnpack must include node_modules/keytar/build/Release/keytar.node',
      'asarUnpack must include node_modules/keytar/lib/keytar.js',
    ]);
  });

  it('a missing target, hardened runtime off, a wrong app id', async () => {
    const c = clone(await load());
    c.appId = 'com.example.app';
    (c.mac as Record<string, Json>).target = ['dmg'];
    (c.mac as Record<string, Json>).hardenedRuntime = false;
    (c.linux as Record<string, Json>).target = ['AppImage'];
    expect(checkBuilderConfig(c, ROOT)).toEqual([
      'appId must be dev.shimmy.app',
      'mac targets must include dmg and zip',
      'mac.hardenedRuntime must be true',
      'linux targets must include AppImage and deb',
    ]);
  });

  it('files that leave out the dashboard or the tray icons', async () => {
    const c = clone(await load());
    c.files = ['dist/main/**', 'bin/**', 'package.json'];
    const problems = checkBuilderConfig(c, ROOT);
    expect(problems).toContain('files must include dist/renderer/index.html');
    expect(problems).toContain(
      'files must include build/tray/tray-normalTemplate.png (the shell loads it at run time)',
    );
  });

  it('a referenced build file that does not exist', async () => {
    const c = clone(await load());
    (c.mac as Record<string, Json>).entitlements = 'build/missing.plist';
    expect(checkBuilderConfig(c, ROOT)).toEqual(['build/missing.plist does not exist']);
  });

  it('a missing or wrong-size icon', async () => {
    const fake = await mkdtemp(join(tmpdir(), 'shimmy-builder-'));
    try {
      await cp(join(ROOT, 'build'), join(fake, 'build'), { recursive: true });
      await cp(join(ROOT, 'package.json'), join(fake, 'package.json'));
      await cp(join(ROOT, 'main/shell/main.ts'), join(fake, 'main/shell/main.ts'));
      await cp(join(fake, 'build/icons/16x16.png'), join(fake, 'build/icons/32x32.png'));
      await rm(join(fake, 'build/tray/tray-pausedTemplate@2x.png'));
      expect(checkBuilderConfig(await load(), fake)).toEqual([
        'build/icons/32x32.png must be a 32px PNG',
        'build/tray/tray-pausedTemplate@2x.png must be a 32px PNG',
      ]);
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });
});

describe('generated icons', () => {
  it('are real PNGs of the stated size', () => {
    expect(pngSize(join(ROOT, 'build/icon.png'))).toEqual({ width: 512, height: 512 });
    expect(pngSize(join(ROOT, 'build/icons/48x48.png'))).toEqual({ width: 48, height: 48 });
    expect(pngSize(join(ROOT, 'build/tray/tray-alert@2x.png'))).toEqual({ width: 32, height: 32 });
    expect(pngSize(join(ROOT, 'build/entitlements.mac.plist'))).toBeNull();
  });
});
