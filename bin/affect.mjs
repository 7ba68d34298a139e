#!/usr/bin/env node
// Entry point of the `affect` command line. Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
// Telemetry off (onnxruntime's) before anything that could load it: electron/privacy/no-telemetry.ts.
await import('../electron/privacy/no-telemetry.ts');
const { runCli } = await import('../electron/cli/run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
