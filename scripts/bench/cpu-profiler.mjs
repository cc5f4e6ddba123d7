// Profiles this process from now on through node:inspector, so a bench profile holds the steady
// state only, not start-up (module loading and tokenizer tables would otherwise dominate it).
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/** Starts sampling; the returned function stops it and writes a .cpuprofile to `file`. */
export async function startCpuProfile(file) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(file, JSON.stringify(profile));
  };
}
