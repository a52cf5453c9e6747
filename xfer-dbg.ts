import { fetchSource } from './src/delivery/mirror/fetch-source.ts';
import { transfer } from './src/delivery/mirror/transfer.ts';
import { FileStore } from './src/delivery/mirror/file-store.ts';
const t = Date.now();
const res = await fetchSource({ url: 'http://127.0.0.1:18777/', auth: { username: 'u', password: 'p' }, hosts: null, timeoutMs: 5000, signal: new AbortController().signal });
const fs = new FileStore('/dev/shm');
const r = await transfer(res.body, (b) => fs.write('/dev/shm/x/t.bin', b, { deliveryId: 'd' }), { expected: { size: 512 * 1024 * 1024, from: 'cl' }, stallMs: 5000, maxMs: 60000, signal: new AbortController().signal });
console.log('transfer()', Date.now() - t, 'ms');
