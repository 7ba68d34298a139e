/**
 * Video-call layouts built with real ffmpeg from real face videos, with their ground truth: the tile rectangles whose
 * source shows a face. Used by scripts/face-detection-study.ts (detector choice), scripts/people-study.ts and the
 * tests (tests/people.test.ts). Nothing here is shipped in the app.
 *
 * Sources (../shared/datasets/videos, see its SOURCE.txt; data/samples/sample.mp4): WolfgangLanger_Pexels.mp4 (one
 * woman, a face in every frame), single_face.mp4 (one man, a face in every frame), no_face.mp4 (an animated title
 * card, no face: stands for a screen share / cartoon tile), and a "camera off" tile (dark grey with a name).
 * Tiles are scaled to fill their cell (cropping the overflow, as call apps do), optionally mirrored, zoomed (a
 * centre crop: a person sitting closer) and started at an offset, so one source gives several different-looking tiles.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../electron/analysis/media/ffmpeg-path.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type TileSource =
  | { kind: 'face'; file: string; person: string; startS: number; mirror?: boolean; zoom?: number }
  | { kind: 'noface'; file: string; startS: number }
  | { kind: 'off' };

export interface Tile {
  rect: Rect;
  source: TileSource;
  /** Seconds [from, to) during which the tile is shown; absent = always. Outside, the cell shows the background. */
  shownS?: [number, number];
}

export interface Layout {
  name: string;
  width: number;
  height: number;
  durationS: number;
  tiles: Tile[];
}

export interface Sources {
  woman: string;
  man: string;
  cartoon: string;
}

export function defaultSources(sharedVideos: string): Sources {
  return {
    woman: path.join(sharedVideos, 'WolfgangLanger_Pexels.mp4'),
    man: path.join(sharedVideos, 'single_face.mp4'),
    cartoon: path.join(sharedVideos, 'no_face.mp4'),
  };
}

/** Cells of an n×m grid with `gap` px between and around cells, each cell 16:9 and centred (letterboxed) in the frame. */
export function gridCells(width: number, height: number, cols: number, rows: number, gap: number): Rect[] {
  const cellW0 = (width - gap * (cols + 1)) / cols;
  const cellH0 = (height - gap * (rows + 1)) / rows;
  const cellW = Math.floor(Math.min(cellW0, (cellH0 * 16) / 9) / 2) * 2;
  const cellH = Math.floor((cellW * 9) / 16 / 2) * 2;
  const x0 = Math.round((width - (cols * cellW + (cols - 1) * gap)) / 2);
  const y0 = Math.round((height - (rows * cellH + (rows - 1) * gap)) / 2);
  const out: Rect[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out.push({ x: x0 + c * (cellW + gap), y: y0 + r * (cellH + gap), width: cellW, height: cellH });
  return out;
}

const face = (file: string, person: string, startS: number, mirror = false, zoom = 1): TileSource => ({
  kind: 'face',
  file,
  person,
  startS,
  mirror,
  zoom,
});

/** The measured layouts at one frame size (1280×720 or 1920×1080). */
export function standardLayouts(src: Sources, width: number, height: number, durationS = 8): Layout[] {
  const g = Math.round(height / 90); // 8 px at 720p
  const W = src.woman;
  const M = src.man;
  const tag = `${height}p`;
  const one = gridCells(width, height, 1, 1, 0);
  const two = gridCells(width, height, 2, 1, g);
  const four = gridCells(width, height, 2, 2, g);
  const nine = gridCells(width, height, 3, 3, g);
  const thumbW = Math.round(width / 6 / 2) * 2;
  const thumbH = Math.round((thumbW * 9) / 16 / 2) * 2;
  return [
    { name: `1x1-${tag}`, width, height, durationS, tiles: [{ rect: one[0], source: face(W, 'woman', 0) }] },
    {
      name: `2x1-${tag}`,
      width,
      height,
      durationS,
      tiles: [
        { rect: two[0], source: face(W, 'woman', 2) },
        { rect: two[1], source: face(M, 'man', 0) },
      ],
    },
    {
      name: `2x2-${tag}`,
      width,
      height,
      durationS,
      tiles: [
        { rect: four[0], source: face(M, 'man', 0) },
        { rect: four[1], source: face(W, 'woman', 4) },
        { rect: four[2], source: { kind: 'off' } },
        { rect: four[3], source: face(W, 'woman', 11, true, 1.3) },
      ],
    },
    {
      name: `3x3-${tag}`,
      width,
      height,
      durationS,
      tiles: [
        { rect: nine[0], source: face(W, 'woman', 0) },
        { rect: nine[1], source: face(M, 'man', 0) },
        { rect: nine[2], source: face(W, 'woman', 6, true) },
        { rect: nine[3], source: { kind: 'noface', file: src.cartoon, startS: 0 } },
        { rect: nine[4], source: face(M, 'man', 1.2, true, 1.25) },
        { rect: nine[5], source: face(W, 'woman', 12, false, 1.4) },
        { rect: nine[6], source: face(M, 'man', 0.6, false, 0.8) },
        { rect: nine[7], source: { kind: 'off' } },
        { rect: nine[8], source: face(W, 'woman', 9, true, 0.85) },
      ],
    },
    {
      name: `speaker-${tag}`,
      width,
      height,
      durationS,
      tiles: [
        { rect: one[0], source: face(W, 'woman', 3) },
        { rect: { x: width - thumbW - 2 * g, y: height - thumbH - 2 * g, width: thumbW, height: thumbH }, source: face(M, 'man', 0, true) },
      ],
    },
  ];
}

/** Two people whose tiles swap places half-way and whose camera is off for a stretch (re-identification check). */
export function rearrangedLayout(src: Sources, width: number, height: number, durationS = 12): Layout {
  const g = Math.round(height / 90);
  const two = gridCells(width, height, 2, 1, g);
  const four = gridCells(width, height, 2, 2, g);
  const h = durationS / 2;
  return {
    name: `rearranged-${height}p`,
    width,
    height,
    durationS,
    tiles: [
      // First half: side by side, woman left, man right.
      { rect: two[0], source: face(src.woman, 'woman', 0), shownS: [0, h] },
      { rect: two[1], source: face(src.man, 'man', 0), shownS: [0, h * 0.5] },
      { rect: two[1], source: { kind: 'off' }, shownS: [h * 0.5, h] }, // the man's camera goes off …
      // Second half: a 2×2 grid with the two people in new places and sizes, a camera-off tile, a screen share.
      { rect: four[3], source: face(src.woman, 'woman', 10), shownS: [h, durationS] },
      { rect: four[0], source: face(src.man, 'man', 0.5, true), shownS: [h, durationS] }, // … and comes back elsewhere, mirrored
      { rect: four[1], source: { kind: 'off' }, shownS: [h, durationS] },
      { rect: four[2], source: { kind: 'noface', file: src.cartoon, startS: 0 }, shownS: [h, durationS] },
    ],
  };
}

/** Nine faces in a 3×3 gallery (the two people in nine different-looking tiles: offsets, mirroring, zoom). */
export function nineFacesLayout(src: Sources, width: number, height: number, durationS = 8): Layout {
  const nine = gridCells(width, height, 3, 3, Math.round(height / 90));
  const looks: Array<[string, string, number, boolean, number]> = [
    [src.woman, 'woman', 0, false, 1],
    [src.man, 'man', 0, false, 1],
    [src.woman, 'woman', 6, true, 1],
    [src.man, 'man', 0.8, true, 1.2],
    [src.woman, 'woman', 12, false, 1.4],
    [src.man, 'man', 0.4, false, 0.85],
    [src.woman, 'woman', 9, true, 0.85],
    [src.man, 'man', 1.6, false, 1.35],
    [src.woman, 'woman', 15, false, 1.15],
  ];
  return { name: `9faces-${height}p`, width, height, durationS, tiles: nine.map((rect, i) => ({ rect, source: face(...looks[i]) })) };
}

/**
 * A screen share with a photo of a face in the slide (a still image: not a person on camera) beside the presenter's
 * camera tile. `slide` is a video of the still slide (tests make it from one frame of a face video).
 */
export function slideLayout(src: Sources, slide: string, width: number, height: number, durationS = 8): Layout {
  const g = Math.round(height / 90);
  const thumbW = Math.round(width / 5 / 2) * 2;
  const thumbH = Math.round((thumbW * 9) / 16 / 2) * 2;
  const share = { x: g, y: g, width: width - thumbW - 3 * g, height: height - 2 * g };
  return {
    name: `slide-${height}p`,
    width,
    height,
    durationS,
    tiles: [
      { rect: share, source: { kind: 'noface', file: slide, startS: 0 } },
      { rect: { x: width - thumbW - g, y: g, width: thumbW, height: thumbH }, source: face(src.woman, 'woman', 2) },
    ],
  };
}

/** Ground truth at time t: the rectangles showing a face, with who it is. */
export function facesAt(layout: Layout, tS: number): Array<{ rect: Rect; person: string }> {
  return layout.tiles
    .filter((t) => t.source.kind === 'face' && (!t.shownS || (tS >= t.shownS[0] && tS < t.shownS[1])))
    .map((t) => ({ rect: t.rect, person: (t.source as { person: string }).person }));
}

/** Render a layout to an H.264 file (cached by name in `dir`); returns its path. */
export function buildLayout(layout: Layout, dir: string, fps = 10): string {
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${layout.name}.mp4`);
  if (existsSync(out)) return out;
  const inputs: string[] = ['-f', 'lavfi', '-i', `color=c=0x202124:s=${layout.width}x${layout.height}:r=${fps}:d=${layout.durationS}`];
  const filters: string[] = [];
  let last = '[0:v]';
  layout.tiles.forEach((tile, i) => {
    const { rect, source } = tile;
    const label = `t${i}`;
    if (source.kind === 'off') {
      // A camera-off tile: a lighter grey cell with a round "avatar" (no face) in the middle.
      inputs.push('-f', 'lavfi', '-i', `color=c=0x3c4043:s=${rect.width}x${rect.height}:r=${fps}:d=${layout.durationS}`);
      const r = Math.round(rect.height / 6);
      filters.push(
        `[${i + 1}:v]drawbox=x=${rect.width / 2 - r}:y=${rect.height / 2 - r}:w=${2 * r}:h=${2 * r}:color=0x8ab4f8:t=fill,format=yuv420p[${label}]`,
      );
    } else {
      inputs.push('-stream_loop', '-1', '-ss', String(source.startS), '-i', source.file);
      const zoom = source.kind === 'face' ? (source.zoom ?? 1) : 1;
      const crop = zoom > 1 ? `crop=iw/${zoom}:ih/${zoom},` : '';
      const pad = zoom < 1 ? `pad=iw/${zoom}:ih/${zoom}:(ow-iw)/2:(oh-ih)/2:color=0x303030,` : '';
      const mirror = source.kind === 'face' && source.mirror ? 'hflip,' : '';
      filters.push(
        `[${i + 1}:v]fps=${fps},setpts=PTS-STARTPTS,${crop}${pad}${mirror}scale=${rect.width}:${rect.height}:force_original_aspect_ratio=increase,crop=${rect.width}:${rect.height},setsar=1,format=yuv420p[${label}]`,
      );
    }
    const enable = tile.shownS ? `:enable='between(t,${tile.shownS[0]},${tile.shownS[1] - 0.001})'` : '';
    filters.push(`${last}[${label}]overlay=x=${rect.x}:y=${rect.y}:eof_action=repeat${enable}[o${i}]`);
    last = `[o${i}]`;
  });
  execFileSync(
    resolveFfmpeg().ffmpeg,
    [
      '-v',
      'error',
      '-y',
      ...inputs,
      '-filter_complex',
      filters.join(';'),
      '-map',
      last,
      '-t',
      String(layout.durationS),
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '23',
      '-pix_fmt',
      'yuv420p',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}
