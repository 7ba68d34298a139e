import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTextManifest, ModelManifestError, type LoadedTextManifest } from '../models/manifest.js';
import { openOnnxModel, softmax, type OnnxModel } from '../models/onnx-runtime.js';
import { encode, PAD, UNK } from './tokenizer.js';

/** Texts per ONNX run at most (texts of one run have the same token count). */
const MAX_BATCH = 64;

export interface TextEstimate {
  /** Calibrated probabilities in manifest.labels order; null when the text has no token to read (empty, only spaces). */
  probabilities: Float32Array | null;
  /** The top label, or null when the model abstains (top probability below manifest.abstainBelow) or had nothing to read. */
  label: string | null;
  /** The top label even when the model would abstain (null only when there was nothing to read). */
  top: string | null;
  /** The top probability (0 when there was nothing to read). */
  confidence: number;
  /** Tokens the model read (at most manifest.tokenizer.maxTokens: longer texts are read from their start). */
  tokens: number;
  /** Whether the text was longer than the model reads. */
  truncated: boolean;
}

/** Reads the vocabulary file: one token a line, line k is id k; [pad] and [unk] must be there. */
export function readVocabulary(file: string): Map<string, number> {
  const tokens = readFileSync(file, 'utf8').split('\n');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  const index = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (index.has(t)) throw new Error(`${file}: token "${t}" appears twice (lines ${index.get(t)! + 1} and ${i + 1})`);
    index.set(t, i);
  });
  if (index.get(PAD) !== 0 || !index.has(UNK)) throw new Error(`${file}: the vocabulary must start with ${PAD} and hold ${UNK}`);
  return index;
}

/**
 * A text emotion classifier (native-models/<id>/ with task "text-emotion"): utterances in, calibrated
 * probabilities out. Expression estimates of the words, never a diagnosis.
 */
export class TextEmotionModel {
  private constructor(
    readonly manifest: LoadedTextManifest,
    private readonly vocabulary: Map<string, number>,
    private readonly session: OnnxModel,
  ) {}

  static async load(dir: string, opts: { threads?: number } = {}): Promise<TextEmotionModel> {
    const manifest = loadTextManifest(dir);
    const vocabulary = readVocabulary(path.join(dir, manifest.tokenizer.vocabFile));
    const session = await openOnnxModel(manifest.modelPath, { threads: opts.threads });
    if (!session.inputNames.includes(manifest.input.name))
      throw new ModelManifestError(dir, `input "${manifest.input.name}" not in the ONNX graph (${session.inputNames.join(', ')})`);
    if (!session.outputNames.includes(manifest.output.name))
      throw new ModelManifestError(dir, `output "${manifest.output.name}" not in the ONNX graph (${session.outputNames.join(', ')})`);
    return new TextEmotionModel(manifest, vocabulary, session);
  }

  get labels(): readonly string[] {
    return this.manifest.labels;
  }

  /** Token ids of one text as the model reads it (at most manifest.tokenizer.maxTokens). */
  tokenIds(text: string): number[] {
    return encode(text, this.vocabulary, this.manifest.tokenizer.maxTokens);
  }

  /** Raw logits, one row per text, for texts already turned into ids (all non-empty). */
  async logits(ids: readonly (readonly number[])[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(ids.length);
    const k = this.labels.length;
    // Texts of equal length run together: no padding, so a text's result never depends on its neighbours.
    const byLength = new Map<number, number[]>();
    ids.forEach((t, i) => {
      if (t.length === 0) throw new Error('a text without tokens has no logits');
      const group = byLength.get(t.length);
      if (group) group.push(i);
      else byLength.set(t.length, [i]);
    });
    for (const [len, members] of byLength)
      for (let s = 0; s < members.length; s += MAX_BATCH) {
        signal?.throwIfAborted();
        const batch = members.slice(s, s + MAX_BATCH);
        const data = new BigInt64Array(batch.length * len);
        batch.forEach((i, b) => ids[i].forEach((id, j) => (data[b * len + j] = BigInt(id))));
        const result = await this.session.run({ [this.manifest.input.name]: { data, dims: [batch.length, len] } });
        const y = result[this.manifest.output.name];
        if (!y || y.data.length !== batch.length * k)
          throw new Error(`model ${this.manifest.id}: expected ${batch.length}x${k} outputs, got [${y?.dims.join(', ')}]`);
        batch.forEach((i, b) => (out[i] = y.data.slice(b * k, (b + 1) * k)));
      }
    return out;
  }

  /** One estimate per text, in order. */
  async classify(texts: readonly string[], signal?: AbortSignal): Promise<TextEstimate[]> {
    const max = this.manifest.tokenizer.maxTokens;
    const full = texts.map((t) => encode(t, this.vocabulary, max + 1));
    const ids = full.map((t) => t.slice(0, max));
    const readable = ids.map((t, i) => (t.length ? i : -1)).filter((i) => i >= 0);
    const logits = await this.logits(
      readable.map((i) => ids[i]),
      signal,
    );
    const estimates: TextEstimate[] = texts.map((_, i) => ({
      probabilities: null,
      label: null,
      top: null,
      confidence: 0,
      tokens: ids[i].length,
      truncated: full[i].length > max,
    }));
    readable.forEach((i, r) => {
      const p = this.manifest.output.kind === 'logits' ? softmax(logits[r], this.manifest.temperature) : Float32Array.from(logits[r]);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
      estimates[i].probabilities = p;
      estimates[i].confidence = p[best];
      estimates[i].top = this.labels[best];
      estimates[i].label = p[best] < this.manifest.abstainBelow ? null : this.labels[best];
    });
    return estimates;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
