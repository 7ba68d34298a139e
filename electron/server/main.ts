import '../privacy/no-telemetry.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { APP_ROOT } from '../app-paths.js';
import { AnalysisEngine } from '../analysis/engine.js';
import { AffectService } from '../api/service.js';
import { defaultDatabasePath } from '../store/default-paths.js';
import { startBrowserServer } from './serve.js';

const ROOT = APP_ROOT;

/** `npm run serve [-- --db <path>] [--port <n>] [--max-upload-gb <n>]`: browser mode. First stdout line: the URL with its token. */
async function main() {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, port: { type: 'string' }, renderer: { type: 'string' }, 'max-upload-gb': { type: 'string' } },
  });
  const maxUploadGb = values['max-upload-gb'] === undefined ? undefined : Number(values['max-upload-gb']);
  if (maxUploadGb !== undefined && !(maxUploadGb > 0)) {
    console.error(`serve: --max-upload-gb must be a positive number, got "${values['max-upload-gb']}"`);
    process.exit(2);
  }
  const databasePath = path.resolve(values.db ?? defaultDatabasePath());
  const rendererDir = path.resolve(values.renderer ?? path.join(ROOT, 'out', 'renderer'));
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`serve: the renderer is not built (${rendererDir}/index.html missing); run \`npm run build\` first`);
    process.exit(1);
  }
  // AFFECT_PASSPHRASE opens an encrypted database unlocked (and creates a new one encrypted); without it an
  // encrypted database waits locked for the unlock screen, and a new one for the first-run setup.
  const service = await AffectService.open({
    databasePath,
    actor: 'browser',
    passphrase: process.env.AFFECT_PASSPHRASE || null,
    engine: (models) => AnalysisEngine.create({ ...models }),
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  const { server, url } = await startBrowserServer({
    service,
    rendererDir,
    uploadDir: path.join(path.dirname(databasePath), 'imports'),
    port,
    ...(maxUploadGb ? { maxUploadBytes: Math.round(maxUploadGb * 1024 ** 3) } : {}),
  });
  process.stdout.write(url + '\n');
  const { state, encrypted } = service.vault.status();
  console.error(
    `serve: database ${databasePath} (${state === 'setup' ? 'new: first-run setup in the browser' : encrypted ? `encrypted, ${state}` : 'NOT encrypted'}); listening on 127.0.0.1 only; Ctrl-C to stop`,
  );
  const stop = async () => {
    server.close();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`serve: ${(err as Error).message}`);
  process.exit(1);
});
