import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
const bytes = readFileSync('/tmp/lead/price-catalog.json');
const ascii = Buffer.from(bytes.toString('utf8').replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
let t = performance.now();
const lap = (l) => { const n = performance.now(); console.log(l, (n - t).toFixed(2)); t = n; };
const which = process.argv[2];
if (which === 'utf8') { const s = bytes.toString('utf8'); lap('utf8 decode'); JSON.parse(s); lap('parse'); }
else { const s = ascii.toString('latin1'); lap('latin1 decode'); JSON.parse(s); lap('parse'); }
