import path from 'node:path';
import { buildLayout, defaultSources, rearrangedLayout } from '../lib/gallery-layouts.js';
const src = defaultSources(path.resolve('../shared/datasets/videos'));
console.log(buildLayout(rearrangedLayout(src, 1280, 720, 12), '/tmp/scratch/layouts'));
