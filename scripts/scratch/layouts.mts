import path from 'node:path';
import { buildLayout, defaultSources, standardLayouts } from '../lib/gallery-layouts.js';
const src = defaultSources(path.resolve('../shared/datasets/videos'));
for (const l of standardLayouts(src, 1280, 720, 12)) console.log(buildLayout(l, '/tmp/scratch/layouts'));
