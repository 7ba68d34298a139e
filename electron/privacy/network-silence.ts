/**
 * What keeps the app's own processes off the network. Measured with `strace -f -e trace=connect,openat`
 * (tests/network-silence.test.ts): onnxruntime-node 1.30 ships Microsoft's telemetry library, which, unless
 * ORT_DISABLE_TELEMETRY=1 is in the environment of the process that creates the first onnxruntime session,
 * writes a device id and an event queue under ~/.cache/Microsoft/DeveloperTools/.onnxruntime/, leaves
 * mat-debug-<pid>.log in the temp folder and resolves and connects to mobile.events.data.microsoft.com:443.
 */
export const SILENT_ENV: Readonly<Record<string, string>> = Object.freeze({ ORT_DISABLE_TELEMETRY: '1' });

/** Put SILENT_ENV into an environment (process.env, or one handed to a child process). */
export function silenceEnv<E extends Record<string, string | undefined>>(env: E): E {
  for (const [key, value] of Object.entries(SILENT_ENV)) (env as Record<string, string | undefined>)[key] = value;
  return env;
}

/** The SILENT_ENV entries missing from (or overridden in) an environment; empty when it is silent. */
export function missingSilence(env: Record<string, string | undefined>): string[] {
  return Object.entries(SILENT_ENV)
    .filter(([key, value]) => env[key] !== value)
    .map(([key, value]) => `${key}=${value}`);
}

export class TelemetryNotDisabledError extends Error {
  constructor(missing: string[]) {
    super(
      `refusing to load onnxruntime: ${missing.join(' ')} is not set in this process, so its telemetry would write under ~/.cache/Microsoft and connect to Microsoft; ` +
        `import 'electron/privacy/no-telemetry' first in the entry point (or start the process with that environment)`,
    );
    this.name = 'TelemetryNotDisabledError';
  }
}

/** Throws TelemetryNotDisabledError unless the environment is silent. */
export function assertSilentEnv(env: Record<string, string | undefined> = process.env): void {
  const missing = missingSilence(env);
  if (missing.length > 0) throw new TelemetryNotDisabledError(missing);
}
