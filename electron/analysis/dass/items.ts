import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appFile } from '../../app-paths.js';
import { z } from 'zod';

/** data/dass21/ in the checkout. */
export const DASS21_DATA_DIR = appFile('data', 'dass21');

const ItemsFileSchema = z.object({
  instrument: z.string(),
  source: z.object({ credit: z.string(), website: z.string().url(), terms: z.string() }).passthrough(),
  textsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  instructions: z.string().min(1),
  scale: z.array(z.object({ value: z.number().int().min(0).max(3), label: z.string().min(1) })).length(4),
  items: z.array(z.object({ number: z.number().int().min(1).max(21), text: z.string().min(1), subscale: z.enum(['D', 'A', 'S']) })).length(21),
});
export type Dass21Items = z.infer<typeof ItemsFileSchema>;

/** The canonical text the pinned `textsSha256` is computed over (see items.json `source.textsSha256Rule`). */
export function canonicalTexts(items: {
  instructions: string;
  scale: readonly { value: number; label: string }[];
  items: readonly { number: number; subscale: string; text: string }[];
}): string {
  return [
    items.instructions,
    ...items.scale.map((s) => `${s.value}\t${s.label}`),
    ...items.items.map((i) => `${i.number}\t${i.subscale}\t${i.text}`),
  ].join('\n');
}

/** Loads and validates data/dass21/items.json (the verbatim questionnaire). */
export function loadDass21Items(file = path.join(DASS21_DATA_DIR, 'items.json')): Dass21Items {
  const parsed = ItemsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  parsed.items.forEach((item, i) => {
    if (item.number !== i + 1) throw new Error(`${file}: item ${i + 1} is numbered ${item.number}`);
  });
  return parsed;
}
