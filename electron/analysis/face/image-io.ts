import { readFile } from 'node:fs/promises';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbImage } from '../image.js';
import { MediaInputError } from '../media/errors.js';

export type { RgbImage };

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;

export function isImageFile(file: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/** Decode JPEG (jpeg-js) or PNG (pngjs) bytes to RGB. Alpha is dropped; gray images are expanded to R=G=B. */
export function decodeImage(bytes: Uint8Array, nameForErrors = 'image'): RgbImage {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  try {
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, rgb: new Uint8Array(img.data.buffer, img.data.byteOffset, img.width * img.height * 3) };
    }
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      const n = png.width * png.height;
      const rgb = new Uint8Array(n * 3);
      for (let i = 0; i < n; i++) {
        rgb[i * 3] = png.data[i * 4];
        rgb[i * 3 + 1] = png.data[i * 4 + 1];
        rgb[i * 3 + 2] = png.data[i * 4 + 2];
      }
      return { width: png.width, height: png.height, rgb };
    }
  } catch (err) {
    throw new MediaInputError(nameForErrors, `cannot decode image (${(err as Error).message})`);
  }
  throw new MediaInputError(nameForErrors, 'not a JPEG or PNG file');
}

export async function readImageFile(file: string): Promise<RgbImage> {
  return decodeImage(await readFile(file), file);
}
