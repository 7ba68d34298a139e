import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createRpcClient, createRpcHost, type RpcRequest, type RpcResponse } from '../electron/api/rpc-host.js';
import { AffectService } from '../electron/api/service.js';
import { openDatabase } from '../electron/store/db.js';
import { tempDir } from './helpers/paths.js';

test('the engine-host protocol carries typed calls and validation errors both ways', async () => {
  const file = path.join(tempDir(), 'rpc.sqlite');
  const db = openDatabase(file);
  const service = new AffectService({ db, databasePath: file, engine: () => Promise.reject(new Error('no engine in this test')) });
  // Wire client and host back to back, as main/index.ts and main/engine-host.ts do over IPC.
  let host: (m: RpcRequest) => Promise<void> = async () => undefined;
  const client = createRpcClient((msg) => void host(structuredClone(msg)));
  host = createRpcHost(service, (msg: RpcResponse) => client.receive(structuredClone(msg)));

  const created = (await client.call('clients.create', { code: 'C-001', displayName: 'Test' })) as { id: number; code: string };
  assert.equal(created.code, 'C-001');
  const listed = (await client.call('clients.list', {})) as Array<{ code: string }>;
  assert.deepEqual(
    listed.map((c) => c.code),
    ['C-001'],
  );
  await assert.rejects(client.call('clients.create', { code: '' }), /invalid input/);
  await assert.rejects(client.call('clients.rename', { id: 999, displayName: 'x' }), /no client with id 999/);
  await assert.rejects(client.call('no.such.method', {}), /unknown method/);
  await service.close();
  db.close();
});
