import { performance } from 'node:perf_hooks';
const mode = process.argv[2];
const dist = (f) => new URL(`../../../dist/main/core/pricing/${f}`, import.meta.url).href;
if (mode === 'make') {
  const { bundledCatalog } = await import(dist('catalog.js'));
  const { saveCatalogFile } = await import(dist('catalog-file.js'));
  const b = await bundledCatalog();
  await saveCatalogFile('/tmp/lead/price-catalog.json', { ...b, source: 'refreshed', url: 'https://example.invalid/data.json', fetchedAt: new Date().toISOString() });
  process.exit(0);
}
const t0 = performance.now();
const cu0 = process.cpuUsage();
let cat;
if (mode === 'saved') {
  const { loadCatalogFile } = await import(dist('catalog-file.js'));
  const t1 = performance.now();
  cat = (await loadCatalogFile('/tmp/lead/price-catalog.json')).catalog;
  console.log('import', (t1 - t0).toFixed(1), 'load', (performance.now() - t1).toFixed(1));
} else {
  const { bundledCatalog } = await import(dist('catalog.js'));
  const t1 = performance.now();
  cat = await bundledCatalog();
  console.log('import', (t1 - t0).toFixed(1), 'load', (performance.now() - t1).toFixed(1));
}
const t2 = performance.now();
void cat.providers.length;
const { createPrices } = await import(dist('index.js'));
const t3 = performance.now();
const prices = createPrices({ catalog: () => cat, user: () => ({}), legacy: () => undefined });
const p = prices.lookup({ provider: { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' }, model: 'gpt-4o-mini', at: new Date() });
const t4 = performance.now();
const cu = process.cpuUsage(cu0);
console.log(mode, 'first lookup', (t4 - t3).toFixed(1), 'ms; total', (t4 - t0).toFixed(1), 'cpu', ((cu.user + cu.system) / 1000).toFixed(1), p ? 'priced' : 'UNPRICED');
