import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { appFile } from '../../app-paths.js';
import { loadAnyManifest, type LoadedManifest, type LoadedTextManifest } from './manifest.js';

/** The models shipped in this repository: native-models/ at its root. */
export const BUNDLED_MODELS_DIR = appFile('native-models');

/** Where models are looked up: $AFFECT_MODELS_DIR when set (a folder of model folders), else the bundled ones. */
export function defaultModelsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.AFFECT_MODELS_DIR || BUNDLED_MODELS_DIR;
}

/** The models the engine uses unless told otherwise, by role. */
export const DEFAULT_MODEL_IDS = {
  faceDetector: 'blazeface-front-128',
  faceExpression: 'face-cnn',
  voiceEmotion: 'voice-spectrogram-cnn',
  textEmotion: 'text-glove-cnn',
} as const;

export type ModelRole = keyof typeof DEFAULT_MODEL_IDS;

/** The models of per-person analysis (not chosen in Settings): the gallery window detector and the identity model. */
export const PEOPLE_MODEL_IDS = {
  faceWindows: 'blazeface-back-256',
  faceIdentity: 'face-identity-dlib',
} as const;

/**
 * Roles the engine has a place for but no shipped model fills, with the card that says why. `asr`: speech to text
 * for recordings without a transcript (the seam is transcript/speech-to-text.ts); PocketSphinx, the only offline
 * engine with openly licensed models obtainable here, was measured and does not help.
 */
export const ROLES_WITHOUT_A_MODEL = {
  asr: { task: 'speech-to-text', card: 'native-models/asr-pocketsphinx/MODEL_CARD.md' },
} as const;

/**
 * Resolve a model reference to its folder: an existing folder path is used as it is; otherwise the
 * reference is an id under `modelsRoot`.
 */
export function resolveModelDir(ref: string, modelsRoot = defaultModelsRoot()): string {
  if (ref.includes('/') || ref.includes(path.sep)) {
    if (existsSync(path.join(ref, 'manifest.json'))) return path.resolve(ref);
    throw new Error(`model folder ${ref} has no manifest.json`);
  }
  const dir = path.join(modelsRoot, ref);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    const known = listModels(modelsRoot).map((m) => m.id);
    throw new Error(`unknown model "${ref}" (available in ${modelsRoot}: ${known.join(', ') || 'none'})`);
  }
  return dir;
}

/**
 * A model the app always ships (the per-person and diarization models): its folder under `modelsRoot` when it is
 * there, else the bundled one (a custom models root need not copy them).
 */
export function resolveShippedModelDir(id: string, modelsRoot = defaultModelsRoot()): string {
  try {
    return resolveModelDir(id, modelsRoot);
  } catch {
    return resolveModelDir(id, defaultModelsRoot({}));
  }
}

/** Every ONNX model folder under modelsRoot with a valid manifest (invalid ones are reported, not hidden). */
export function listModels(modelsRoot = defaultModelsRoot()): Array<LoadedManifest | LoadedTextManifest | { id: string; error: string }> {
  if (!existsSync(modelsRoot)) return [];
  return readdirSync(modelsRoot)
    .sort()
    .filter(
      (name) =>
        statSync(path.join(modelsRoot, name)).isDirectory() &&
        existsSync(path.join(modelsRoot, name, 'manifest.json')) &&
        existsSync(path.join(modelsRoot, name, 'model.onnx')),
    )
    .map((name) => {
      try {
        return loadAnyManifest(path.join(modelsRoot, name));
      } catch (err) {
        return { id: name, error: (err as Error).message };
      }
    });
}
