import { waitForUpdate } from '@pydantic/genai-prices';
const ps = await waitForUpdate();
const oa = ps.find(p=>p.id==='openai');
const pr = {'gpt-5.5':[12.5,1.25,75],'gpt-5.4-mini':[1.5,0.15,9],'gpt-5.4':[5,0.5,30],'gpt-5.2':[3.5,0.35,28],'gpt-5.1':[2.5,0.25,20],'gpt-5':[2.5,0.25,20],'gpt-5-mini':[0.45,0.045,3.6],'gpt-4.1':[3.5,0.875,14],'gpt-4.1-mini':[0.7,0.175,2.8],'gpt-4.1-nano':[0.2,0.05,0.8],'gpt-4o':[4.25,2.125,17]};
for (const [id,[i,c,o]] of Object.entries(pr)) { const m = oa.models.find(m=>m.id===id); if(!m){console.log(id,'MISSING');continue;} const p = Array.isArray(m.prices)? m.prices.at(-1).prices : m.prices; const b=(x)=>typeof x==='object'?x.base:x; console.log(id, JSON.stringify(p).slice(0,200), (i/b(p.input_mtok)).toFixed(4),(c/b(p.cache_read_mtok)).toFixed(4),(o/b(p.output_mtok)).toFixed(4)); }
const an = ps.find(p=>p.id==='anthropic'); for (const m of an.models) console.log(m.id, JSON.stringify(m.prices).slice(0,300));
const ds = ps.find(p=>p.id==='deepseek'); for (const m of ds.models) console.log(m.id, JSON.stringify(m.prices).slice(0,400));
const xa = ps.find(p=>p.id==='x-ai'); for (const m of xa.models) console.log(m.id, JSON.stringify(m.match).slice(0,100), JSON.stringify(m.prices).slice(0,200));
