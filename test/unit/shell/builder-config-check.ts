// Checks electron-builder.yml against what Shimmy needs (targets, keytar unpacked, files that
// exist). Returns problems as text so tests can also prove that a broken config is caught.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { trayIconFile, type TrayIconName } from '../../../main/shell/tray-model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (o: Json | undefined, ...path: string[]): Json | undefined =>
  path.reduce<Json | undefined>((acc, k) => (isObj(acc) ? acc[k] : undefined), o);

/** Target names of a platform section: strings or { target } objects. */
export function targetNames(section: Json | undefined): string[] {
  const t = get(section, 'target');
  const list = Array.isArray(t) ? t : t === undefined ? [] : [t];
  return list.map((x) => (typeof x === 'string' ? x : String(get(x, 'target')))).map((s) => s.toLowerCase());
}

function stringsUnder(v: Json | undefined, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => stringsUnder(x, out));
  else if (isObj(v)) Object.values(v).forEach((x) => stringsUnder(x, out));
  return out;
}

export function pngSize(file: string): { width: number; height: number } | null {
  const b = readFileSync(file);
  if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG' || b.toString('latin1', 12, 16) !== 'IHDR')
    return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export const APP_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512];
const TRAY_ICONS: TrayIconName[] = ['normal', 'alert', 'paused'];

export function checkBuilderConfig(config: Json, root: string): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  if (!isObj(config)) return ['config is not a mapping'];

  expect(config.appId === 'dev.shimmy.app', 'appId must be dev.shimmy.app');
  expect(config.productName === 'Shimmy', 'productName must be Shimmy');
  expect(
    get(config, 'directories', 'buildResources') === 'build',
    'directories.buildResources must be build',
  );

  // Packaged files: the build output, the CLI, package.json and the tray icons the shell loads.
  const files = get(config, 'files');
  const fileGlobs = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
  const included = (p: string) =>
    fileGlobs.some((g) => !g.startsWith('!') && picomatch(g)(p)) &&
    !fileGlobs.some((g) => g.startsWith('!') && picomatch(g.slice(1))(p));
  for (const p of [
    'dist/main/shell/main.js',
    'dist/main/core/start-core.js',
    'dist/renderer/index.html',
    'bin/shimmy.js',
    'package.json',
  ]) {
    expect(included(p), `files must include ${p}`);
  }

  // The entry point: what tsc emits for main/shell/main.ts.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string };
  const main = (get(config, 'extraMetadata', 'main') as string | undefined) ?? pkg.main;
  expect(main === 'dist/main/shell/main.js', `entry must be dist/main/shell/main.js (got ${String(main)})`);
  expect(existsSync(join(root, 'main/shell/main.ts')), 'main/shell/main.ts must exist');
  expect(
    typeof get(config, 'extraMetadata', 'author', 'email') === 'string',
    'deb needs an author email (extraMetadata.author)',
  );

  // keytar's .node binary cannot be loaded from inside app.asar.
  const unpack = get(config, 'asarUnpack');
  const unpackGlobs = (Array.isArray(unpack) ? unpack : unpack === undefined ? [] : [unpack]).filter(
    (g): g is string => typeof g === 'string',
  );
  for (const p of ['node_modules/keytar/build/Release/keytar.node', 'node_modules/keytar/lib/keytar.js']) {
    expect(
      unpackGlobs.some((g) => picomatch(g, { dot: true })(p)),
      `asarUnpack must include ${p}`,
    );
  }
  expect(config.npmRebuild !== false, 'npmRebuild must stay on (keytar is rebuilt for Electron)');

  // Targets.
  const mac = targetNames(config.mac);
  expect(mac.includes('dmg') && mac.includes('zip'), 'mac targets must include dmg and zip');
  expect(get(config, 'mac', 'hardenedRuntime') === true, 'mac.hardenedRuntime must be true');
  const entitlements = get(config, 'mac', 'entitlements');
  expect(
    typeof entitlements === 'string' && entitlements.startsWith('build/'),
    'mac.entitlements must be a plist in build/',
  );
  if (typeof entitlements === 'string' && existsSync(join(root, entitlements))) {
    expect(
      readFileSync(join(root, entitlements), 'utf8').includes('com.apple.security.cs.allow-jit'),
      'entitlements must allow JIT',
    );
  }
  expect(targetNames(config.win).includes('nsis'), 'win target must include nsis');
  const linux = targetNames(config.linux);
  expect(linux.includes('appimage') && linux.includes('deb'), 'linux targets must include AppImage and deb');

  // Every file the config points into build/ exists.
  for (const s of stringsUnder(config)) {
    if (s.startsWith('build/') && !/[*?{]/.test(s)) expect(existsSync(join(root, s)), `${s} does not exist`);
  }

  // Icons: the app icon set and every tray image the shell can ask for.
  const icon = join(root, 'build/icon.png');
  expect(
    existsSync(icon) && pngSize(icon)?.width === 512 && pngSize(icon)?.height === 512,
    'build/icon.png must be a 512×512 PNG',
  );
  const linuxIconDir = get(config, 'linux', 'icon');
  if (
    typeof linuxIconDir === 'string' &&
    existsSync(join(root, linuxIconDir)) &&
    statSync(join(root, linuxIconDir)).isDirectory()
  ) {
    for (const n of APP_ICON_SIZES) {
      const f = join(root, linuxIconDir, `${n}x${n}.png`);
      expect(
        existsSync(f) && pngSize(f)?.width === n && pngSize(f)?.height === n,
        `${linuxIconDir}/${n}x${n}.png must be a ${n}px PNG`,
      );
    }
  }
  for (const name of TRAY_ICONS) {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const base = trayIconFile(name, platform);
      for (const [file, px] of [
        [base, 16],
        [base.replace('.png', '@2x.png'), 32],
      ] as const) {
        const rel = `build/tray/${file}`;
        const abs = join(root, rel);
        expect(existsSync(abs) && pngSize(abs)?.width === px, `${rel} must be a ${px}px PNG`);
        expect(included(rel), `files must include ${rel} (the shell loads it at run time)`);
      }
    }
  }
  return problems;
}
