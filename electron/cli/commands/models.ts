import { listModels, DEFAULT_MODEL_IDS } from '../../analysis/models/registry.js';
import { resolveFfmpeg } from '../../analysis/media/ffmpeg-path.js';
import { parseCommandArgs, writeLine, type CliIO } from '../io.js';

/** affect models [--json]: the shipped models (from their manifests) and the ffmpeg in use. */
export async function runModels(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } }, false);
  const defaults = new Set<string>(Object.values(DEFAULT_MODEL_IDS));
  const models = listModels().map((m) =>
    'error' in m
      ? m
      : {
          id: m.id,
          version: m.version,
          task: m.task,
          architecture: m.architecture,
          labels: m.labels,
          sha256: m.sha256,
          default: defaults.has(m.id),
          tinyRandomWeights: m.tinyRandomWeights,
        },
  );
  let ffmpeg: ReturnType<typeof resolveFfmpeg> | { error: string };
  try {
    ffmpeg = resolveFfmpeg();
  } catch (err) {
    ffmpeg = { error: (err as Error).message };
  }
  if (values.json) {
    writeLine(io.stdout, JSON.stringify({ models, ffmpeg }));
    return 0;
  }
  for (const m of models) {
    if ('error' in m) writeLine(io.stdout, `${m.id}: INVALID — ${m.error}`);
    else writeLine(io.stdout, `${m.default ? '*' : ' '} ${m.id}@${m.version}  ${m.task}  ${m.architecture}  [${m.labels.join(', ')}]`);
  }
  writeLine(io.stdout, 'error' in ffmpeg ? `ffmpeg: ${ffmpeg.error}` : `ffmpeg: ${ffmpeg.ffmpeg} (${ffmpeg.source}); ffprobe: ${ffmpeg.ffprobe}`);
  if (!('error' in ffmpeg) && ffmpeg.note) writeLine(io.stdout, `  note: ${ffmpeg.note}`);
  return 0;
}
