import path from 'node:path';
import { heldOutUar, type LoadedManifest, type LoadedTextManifest } from '../analysis/models/manifest.js';
import { DEFAULT_MODEL_IDS, listModels, type ModelRole } from '../analysis/models/registry.js';
import type { Db } from '../store/db.js';
import { getSetting, setSetting } from '../store/settings-repo.js';

/** Which manifest task fills which engine role. */
export const ROLE_TASK: Record<ModelRole, (LoadedManifest | LoadedTextManifest)['task']> = {
  faceDetector: 'face-detection',
  faceExpression: 'face-expression',
  voiceEmotion: 'voice-emotion',
  textEmotion: 'text-emotion',
};

export type ModelChoice = Record<ModelRole, string>;

const SETTING_KEY = 'models';

/** Installed models (folder name = id) usable for each role, with their manifest figures. */
function installed(modelsRoot?: string): Array<{ role: ModelRole; folder: string; m: LoadedManifest | LoadedTextManifest }> {
  return listModels(modelsRoot).flatMap((m) => {
    if (!('dir' in m)) return [];
    const role = (Object.keys(ROLE_TASK) as ModelRole[]).find((r) => ROLE_TASK[r] === m.task);
    return role ? [{ role, folder: path.basename(m.dir), m }] : [];
  });
}

/**
 * The model folder the engine uses per role: the stored choice when that model is still installed,
 * else the default. A choice whose model was removed falls back silently to the default (listed as such).
 */
export function currentModelChoice(db: Db, modelsRoot?: string): ModelChoice {
  return choiceAmong(db, installed(modelsRoot));
}

function choiceAmong(db: Db, available: ReturnType<typeof installed>): ModelChoice {
  const stored = (getSetting(db, SETTING_KEY) ?? {}) as Partial<Record<ModelRole, string>>;
  const choice = { ...DEFAULT_MODEL_IDS } as ModelChoice;
  for (const role of Object.keys(ROLE_TASK) as ModelRole[]) {
    const want = stored[role];
    if (want && available.some((a) => a.role === role && a.folder === want)) choice[role] = want;
  }
  return choice;
}

/** Store the choice for one role (null: back to the default). Throws when the model is not installed for that role. */
export function selectModel(db: Db, role: ModelRole, id: string | null, modelsRoot?: string): void {
  if (id !== null && !installed(modelsRoot).some((a) => a.role === role && a.folder === id))
    throw new Error(`no installed ${ROLE_TASK[role]} model "${id}"`);
  const stored = { ...((getSetting(db, SETTING_KEY) ?? {}) as Partial<Record<ModelRole, string>>) };
  if (id === null || id === DEFAULT_MODEL_IDS[role]) delete stored[role];
  else stored[role] = id;
  setSetting(db, SETTING_KEY, Object.keys(stored).length ? stored : undefined);
}

/** Every installed model with its role, figures, and whether it is selected / the default. */
export function listInstalledModels(db: Db, modelsRoot?: string) {
  const available = installed(modelsRoot); // reads and hash-checks every model once
  const choice = choiceAmong(db, available);
  return available.map(({ role, folder, m }) => ({
    role,
    id: folder,
    version: m.version,
    sha256: m.sha256,
    architecture: m.architecture,
    labels: m.labels,
    heldOutUar: heldOutUar(m),
    metrics: m.metrics,
    selected: choice[role] === folder,
    isDefault: DEFAULT_MODEL_IDS[role] === folder,
  }));
}
