import type { Command } from 'commander';
import { connectAdmin } from '../admin-client.js';
import { dataDirOption, resolveDataDir } from '../options.js';

export function registerDashboardCommand(program: Command): void {
  dataDirOption(
    program.command('dashboard').description('print a fresh one-time login link to the dashboard'),
  ).action(async (o: { dataDir?: string }) => {
    const client = await connectAdmin(resolveDataDir(o.dataDir));
    const { url } = await client.call('createLoginLink');
    console.log(url);
  });
}
