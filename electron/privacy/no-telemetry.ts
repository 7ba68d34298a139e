/**
 * Import this FIRST in every entry point (before anything that may load onnxruntime-node): it puts
 * SILENT_ENV into process.env, which child processes inherit. ES modules evaluate their imports in
 * order, so as the first import of an entry it runs before any later import's code.
 */
import { silenceEnv } from './network-silence.js';

silenceEnv(process.env);
