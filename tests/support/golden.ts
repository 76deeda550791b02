/**
 * Golden-screenshot comparison with pixelmatch: a PNG compared pixel by pixel with the committed
 * golden image (anti-aliased pixels ignored, per-pixel colour threshold 0.1). On a mismatch the
 * actual image and a diff are written beside the e2e output for review; `UPDATE_GOLDEN=1` writes
 * the golden image instead (review it before committing).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { E2E_OUTPUT_DIR } from './browser';

export interface GoldenComparison {
  /** Pixels that differ, of all pixels (0–1); 1 when the sizes differ. */
  readonly diffRatio: number;
  readonly width: number;
  readonly height: number;
  /** The golden image was (re)written from `actual`. */
  readonly updated: boolean;
}

/**
 * Compares `actual` (PNG bytes) with the golden PNG at `goldenPath`.
 * @throws {Error} when the golden image is missing and `UPDATE_GOLDEN` is not set.
 */
export function compareWithGolden(actual: Buffer, goldenPath: string): GoldenComparison {
  const image = PNG.sync.read(actual);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(goldenPath), { recursive: true });
    writeFileSync(goldenPath, actual);
    return { diffRatio: 0, width: image.width, height: image.height, updated: true };
  }
  if (!existsSync(goldenPath)) throw new Error(`No golden image at ${goldenPath}: run the test with UPDATE_GOLDEN=1 and review the image`);
  const golden = PNG.sync.read(readFileSync(goldenPath));
  const outDir = join(E2E_OUTPUT_DIR, 'golden');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `actual-${basename(goldenPath)}`), actual);
  if (golden.width !== image.width || golden.height !== image.height) return { diffRatio: 1, width: image.width, height: image.height, updated: false };
  const diff = new PNG({ width: image.width, height: image.height });
  const differing = pixelmatch(golden.data, image.data, diff.data, image.width, image.height, { threshold: 0.1, includeAA: false });
  writeFileSync(join(outDir, `diff-${basename(goldenPath)}`), PNG.sync.write(diff));
  return { diffRatio: differing / (image.width * image.height), width: image.width, height: image.height, updated: false };
}
