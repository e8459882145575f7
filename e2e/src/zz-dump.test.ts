import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { startSystem } from './support/system';
it('dumps', async () => {
  const s = await startSystem();
  try {
    writeFileSync('/tmp/fz/cp.json', JSON.stringify((await request(s.cp.url).get('/openapi.json')).body, null, 2));
    writeFileSync('/tmp/fz/dp.json', JSON.stringify((await request(s.dp.url).get('/openapi.json')).body, null, 2));
  } finally { await s.close(); }
});
