import type { Command } from 'commander';
import { connectAdmin } from '../admin-client.js';
import { formatTable } from '../format-table.js';
import { dataDirOption, resolveDataDir } from '../options.js';
import { readSecret } from '../read-secret.js';
import { CliError } from '../cli-error.js';

type DataDirOpts = { dataDir?: string; json?: boolean };
const admin = (o: DataDirOpts) => connectAdmin(resolveDataDir(o.dataDir));

export function registerProviderCommands(program: Command): void {
  const provider = program
    .command('provider')
    .description('OpenAI- or Anthropic-compatible services to send requests to');

  dataDirOption(
    provider
      .command('add <name>')
      .description('add a provider (any OpenAI-compatible service: OpenRouter, Groq, Ollama, …)')
      .requiredOption('--kind <kind>', 'API family: openai or anthropic')
      .requiredOption('--base-url <url>', 'e.g. https://api.groq.com/openai/v1')
      .option('--default', 'make it the default provider of its family')
      .option('--fallback <target>', "retry here when this provider fails: 'provider' or 'provider/model'"),
  ).action(
    async (
      name: string,
      o: DataDirOpts & { kind: string; baseUrl: string; default?: boolean; fallback?: string },
    ) => {
      if (o.kind !== 'openai' && o.kind !== 'anthropic')
        throw new CliError(`--kind must be openai or anthropic, got "${o.kind}"`);
      const client = await admin(o);
      let p = await client.call('addProvider', {
        body: { name, kind: o.kind, baseUrl: o.baseUrl, ...(o.default ? { isDefault: true } : {}) },
      });
      if (o.fallback)
        p = await client.call('patchProvider', { params: { name }, body: { fallback: o.fallback } });
      console.log(`Added provider ${p.name} (${p.kind}) → ${p.baseUrl}${p.isDefault ? ' [default]' : ''}`);
      if (!p.hasKey) console.log(`Give it a key with: shimmy key set ${p.name}`);
    },
  );

  dataDirOption(
    provider.command('list').description('list providers').option('--json', 'machine-readable output'),
  ).action(async (o: DataDirOpts) => {
    const list = await (await admin(o)).call('listProviders');
    if (o.json) return void console.log(JSON.stringify(list, null, 2));
    console.log(
      formatTable(
        ['NAME', 'KIND', 'BASE URL', 'DEFAULT', 'KEY'],
        list.map((p) => [p.name, p.kind, p.baseUrl, p.isDefault ? 'yes' : '', p.hasKey ? 'yes' : 'no']),
      ),
    );
  });

  dataDirOption(
    provider
      .command('fallback <name> <target>')
      .description(
        "when every key of NAME fails before the first byte, retry on TARGET ('provider' or 'provider/model'; 'none' to clear)",
      ),
  ).action(async (name: string, target: string, o: DataDirOpts) => {
    await (
      await admin(o)
    ).call('patchProvider', { params: { name }, body: { fallback: target === 'none' ? null : target } });
    console.log(target === 'none' ? `${name} has no fallback` : `${name} falls back to ${target}`);
  });

  dataDirOption(provider.command('remove <name>').description('remove a provider')).action(
    async (name: string, o: DataDirOpts) => {
      await (await admin(o)).call('deleteProvider', { params: { name } });
      console.log(`Removed provider ${name}`);
    },
  );
}

// The instance checks every key it is given (vault/key-shape.ts): one line, no spaces, not a
// masked key, and shaped like the keys of the service it goes to; --force skips only the last.
const FORCE_HELP =
  'store a key whose shape is unusual for the provider (never one with spaces or line breaks)';

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('provider API keys, kept in the OS keychain');

  const setAction = async (providerName: string, o: DataDirOpts & { label?: string; force?: boolean }) => {
    const client = await admin(o);
    const secret = await readSecret(`API key for ${providerName} (input hidden): `);
    if (!secret) throw new CliError('No key given on stdin');
    const info = await client.call('putKey', {
      body: {
        provider: providerName,
        key: secret,
        ...(o.label ? { label: o.label } : {}),
        ...(o.force ? { force: true } : {}),
      },
    });
    console.log(
      `Stored ${info.provider}${info.label !== 'default' ? ` (${info.label})` : ''} key in the OS keychain: ${info.masked}`,
    );
    // Where it will ever be sent: a provider repointed since needs the key again.
    console.log(`It is sent only to ${info.boundTo ?? '(unbound)'}`);
  };
  dataDirOption(
    key
      .command('set <provider>')
      .description('store the key read from stdin (never from argv, never echoed)')
      .option('--force', FORCE_HELP),
  ).action(setAction);
  dataDirOption(
    key
      .command('add <provider>')
      .description("add another key to the provider's pool (read from stdin)")
      .requiredOption('--label <name>', 'a name for this key')
      .option('--force', FORCE_HELP),
  ).action(setAction);

  dataDirOption(
    key.command('list').description('list keys, masked').option('--json', 'machine-readable output'),
  ).action(async (o: DataDirOpts) => {
    const keys = await (await admin(o)).call('listKeys');
    if (o.json) return void console.log(JSON.stringify(keys, null, 2));
    if (keys.length === 0) return void console.log('No keys yet. Add one with: shimmy key set openai');
    console.log(
      formatTable(
        ['PROVIDER', 'LABEL', 'KEY', 'SOURCE', 'SENT ONLY TO'],
        keys.map((k) => [
          k.provider,
          k.label,
          k.masked,
          k.source,
          k.usable
            ? k.boundTo!
            : k.boundTo
              ? `${k.boundTo} (provider moved: give the key again)`
              : '(no such provider at start: restart or use key set)',
        ]),
      ),
    );
  });

  dataDirOption(
    key
      .command('remove <provider>')
      .description('delete a key from the keychain')
      .option('--label <name>', 'which key of the pool', 'default'),
  ).action(async (providerName: string, o: DataDirOpts & { label: string }) => {
    await (await admin(o)).call('deleteKey', { params: { provider: providerName, label: o.label } });
    console.log(`Removed ${providerName} key${o.label !== 'default' ? ` (${o.label})` : ''}`);
  });
}
