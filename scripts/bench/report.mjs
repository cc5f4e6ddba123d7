// Turns the measured numbers into the printed table and the PASS/MISS verdicts of the issue's
// targets (ratios within one run, so machine speed cancels out).

/** The targets, Shimmy against the raw node:http pass-through. */
export const TARGETS = {
  addedP50C1MaxRatio: 2.5,
  rpsC32MinRatio: 0.6,
  streamRpsC32MinRatio: 0.85,
};

const fmt = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** @param {Record<string, Record<string, {p50Ms:number,p99Ms:number,rps:number,errors:number}>>} results */
export function formatTable(results, scenarios) {
  const names = Object.keys(results);
  const w = Math.max(8, ...names.map((n) => n.length));
  const cell = 24;
  const lines = [];
  lines.push(''.padEnd(w) + scenarios.map((s) => ('  ' + s.label).padEnd(cell + 2)).join(''));
  lines.push(
    ''.padEnd(w) +
      scenarios
        .map(() => '  ' + 'p50 ms'.padStart(7) + 'p99 ms'.padStart(8) + 'req/s'.padStart(9) + '  ')
        .join(''),
  );
  for (const name of names) {
    let line = name.padEnd(w);
    for (const s of scenarios) {
      const r = results[name][s.key];
      line += r
        ? '  ' +
          fmt(r.p50Ms, 3).padStart(7) +
          fmt(r.p99Ms, 2).padStart(8) +
          fmt(r.rps, 0).padStart(9) +
          (r.errors ? '!' : ' ') +
          ' '
        : '  ' + 'not run'.padEnd(cell);
    }
    lines.push(line.trimEnd());
  }
  if (names.some((n) => scenarios.some((s) => results[n][s.key]?.errors)))
    lines.push('! = some requests failed (see errors in bench.json)');
  return lines;
}

/** Ratios of each proxy to raw, and Shimmy's verdict per target. */
export function evaluate(results) {
  const { direct, raw } = results;
  const added = (name) => results[name].c1?.p50Ms - direct.c1?.p50Ms;
  const proxies = Object.keys(results).filter((n) => n !== 'direct' && n !== 'raw');
  const ratios = {};
  for (const name of proxies) {
    ratios[name] = {
      addedP50C1Ms: added(name),
      addedP50C1VsRaw: added(name) / added('raw'),
      rpsC32VsRaw: results[name].c32?.rps / raw.c32?.rps,
      streamRpsC32VsRaw: results[name].s32?.rps / raw.s32?.rps,
    };
  }
  const s = ratios.shimmy;
  const verdicts = s
    ? [
        {
          target: `added p50 latency, c=1, vs raw ≤ ${TARGETS.addedP50C1MaxRatio}×`,
          value: s.addedP50C1VsRaw,
          pass: s.addedP50C1VsRaw <= TARGETS.addedP50C1MaxRatio,
          unit: '×',
        },
        {
          target: `throughput, c=32, vs raw ≥ ${TARGETS.rpsC32MinRatio * 100}%`,
          value: s.rpsC32VsRaw,
          pass: s.rpsC32VsRaw >= TARGETS.rpsC32MinRatio,
          unit: '%',
        },
        {
          target: `streaming throughput, c=32, vs raw ≥ ${TARGETS.streamRpsC32MinRatio * 100}%`,
          value: s.streamRpsC32VsRaw,
          pass: s.streamRpsC32VsRaw >= TARGETS.streamRpsC32MinRatio,
          unit: '%',
        },
      ]
    : [];
  return { addedP50C1RawMs: added('raw'), ratios, verdicts };
}

export function formatRatios({ addedP50C1RawMs, ratios, verdicts }) {
  const lines = [`added p50 at c=1 over direct: raw +${fmt(addedP50C1RawMs, 3)} ms`];
  for (const [name, r] of Object.entries(ratios)) {
    lines.push(
      `  ${name.padEnd(8)} +${fmt(r.addedP50C1Ms, 3)} ms (${fmt(r.addedP50C1VsRaw, 2)}× raw's)   ` +
        `c=32 req/s ${fmt(r.rpsC32VsRaw * 100, 0)}% of raw   stream c=32 req/s ${fmt(r.streamRpsC32VsRaw * 100, 0)}% of raw`,
    );
  }
  lines.push('Targets (Shimmy vs raw pass-through, same run):');
  for (const v of verdicts) {
    const shown = v.unit === '%' ? `${fmt(v.value * 100, 0)}%` : `${fmt(v.value, 2)}×`;
    lines.push(`  ${v.pass ? 'PASS' : 'MISS'}  ${v.target.padEnd(48)} ${shown}`);
  }
  return lines;
}
