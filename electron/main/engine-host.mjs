// Launches the engine host from the TypeScript sources (the same code the CLI and the tests run).
import { register } from 'tsx/esm/api';

register();
await import('./engine-host.ts');
