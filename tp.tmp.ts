import { rawThroughputThreaded, sessionThroughputThreaded } from './src-main/bench/throughput';
const r=[],e=[];
for (let i = 0; i < 5; i++) { r.push((await rawThroughputThreaded(60000)).bytesPerSec); e.push((await sessionThroughputThreaded(60000)).bytesPerSec); }
r.sort((a,b)=>a-b); e.sort((a,b)=>a-b);
console.log('raw', (r[2]/1e6).toFixed(1), 'enc', (e[2]/1e6).toFixed(1), 'ratio', (e[2]/r[2]).toFixed(2));
