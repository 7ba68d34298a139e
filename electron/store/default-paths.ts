import os from 'node:os';
import path from 'node:path';

/**
 * Where the database lives when none is given: $AFFECT_DB, else the platform's per-user data folder
 * (the same folder Electron's app.getPath('userData') uses for this app's name).
 */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.AFFECT_DB) return env.AFFECT_DB;
  const home = os.homedir();
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(home, '.config'));
  return path.join(base, 'Affect Workstation', 'affect.sqlite');
}
