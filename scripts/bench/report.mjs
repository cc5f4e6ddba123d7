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

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The ratio of `name` to raw for one scenario: the median over rounds of the ratio within each
 * round (the targets of one round run back to back, so they share the machine's state at the
 * time; on a shared 2-core VM whose speed drifts by a third within a minute, a ratio of totals
 * mixes slow and fast minutes). Falls back to the totals when there are no rounds.
 */
function roundRatio(results, name, key, value) {
  const a = results[name][key];
  const b = results.raw[key];
  const d = results.direct[key];
  if (!a || !b) return { median: NaN, rounds: [] };
  if (!a.perRound || !b.perRound || !d?.perRound) return { median: value(a, b, d), rounds: [] };
  const rounds = a.perRound.map((r, i) => value(r, b.perRound[i], d.perRound[i]));
  return { median: median(rounds), rounds };
}

/** Ratios of each proxy to raw, and Shimmy's verdict per target. */
export function evaluate(results) {
  const { direct } = results;
  const added = (name) => results[name].c1?.p50Ms - direct.c1?.p50Ms;
  const proxies = Object.keys(results).filter((n) => n !== 'direct' && n !== 'raw');
  const ratios = {};
  for (const name of proxies) {
    const c1 = roundRatio(results, name, 'c1', (a, b, d) => (a.p50Ms - d.p50Ms) / (b.p50Ms - d.p50Ms));
    const c32 = roundRatio(results, name, 'c32', (a, b) => a.rps / b.rps);
    const s32 = roundRatio(results, name, 's32', (a, b) => a.rps / b.rps);
    ratios[name] = {
      addedP50C1Ms: added(name),
      addedP50C1VsRaw: c1.median,
      rpsC32VsRaw: c32.median,
      streamRpsC32VsRaw: s32.median,
      perRound: { addedP50C1VsRaw: c1.rounds, rpsC32VsRaw: c32.rounds, streamRpsC32VsRaw: s32.rounds },
    };
  }
  const s = ratios.shimmy;
  const verdicts = s
    ? [
        {
          target: `added p50 latency, c=1, vs raw ≤ ${TARGETS.addedP50C1MaxRatio}×`,
          value: s.addedP50C1VsRaw,
          rounds: s.perRound.addedP50C1VsRaw,
          pass: s.addedP50C1VsRaw <= TARGETS.addedP50C1MaxRatio,
          unit: '×',
        },
        {
          target: `throughput, c=32, vs raw ≥ ${TARGETS.rpsC32MinRatio * 100}%`,
          value: s.rpsC32VsRaw,
          rounds: s.perRound.rpsC32VsRaw,
          pass: s.rpsC32VsRaw >= TARGETS.rpsC32MinRatio,
          unit: '%',
        },
        {
          target: `streaming throughput, c=32, vs raw ≥ ${TARGETS.streamRpsC32MinRatio * 100}%`,
          value: s.streamRpsC32VsRaw,
          rounds: s.perRound.streamRpsC32VsRaw,
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
      `  ${name.padEnd(8)} +${fmt(r.addedP50C1Ms, 3)} ms (per round ${fmt(r.addedP50C1VsRaw, 2)}× raw's)   ` +
        `c=32 req/s ${fmt(r.rpsC32VsRaw * 100, 0)}% of raw   stream c=32 req/s ${fmt(r.streamRpsC32VsRaw * 100, 0)}% of raw`,
    );
  }
  lines.push('Targets (Shimmy vs raw pass-through, same run; median of the per-round ratios):');
  for (const v of verdicts) {
    const show = (x) => (v.unit === '%' ? `${fmt(x * 100, 0)}%` : `${fmt(x, 2)}×`);
    const each = v.rounds?.length ? `   (rounds: ${v.rounds.map(show).join(' ')})` : '';
    lines.push(`  ${v.pass ? 'PASS' : 'MISS'}  ${v.target.padEnd(48)} ${show(v.value)}${each}`);
  }
  return lines;
}
