import { defaultModelsRoot, resolveModelDir } from '../analysis/models/registry.js';
import { TextEmotionModel } from '../analysis/text/text-model.js';

/**
 * The text-emotion models transcripts are estimated with, loaded once per model folder and kept until close (an
 * attach and an import may use one at the same time; a model chosen in Settings is loaded beside the old one).
 */
export class TextModels {
  private readonly loaded = new Map<string, Promise<TextEmotionModel>>();

  constructor(private readonly modelsRoot?: string) {}

  /** The model for a folder name or path (see resolveModelDir). */
  get(ref: string): Promise<TextEmotionModel> {
    const dir = resolveModelDir(ref, this.modelsRoot ?? defaultModelsRoot());
    let model = this.loaded.get(dir);
    if (!model) {
      model = TextEmotionModel.load(dir, { threads: 1 });
      this.loaded.set(dir, model);
      // A model that failed to load is tried again next time, not remembered as failed.
      model.catch(() => this.loaded.delete(dir));
    }
    return model;
  }

  async close(): Promise<void> {
    const all = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(all.map((m) => m.then((x) => x.release()).catch(() => undefined)));
  }
}
