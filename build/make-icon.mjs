#!/usr/bin/env node
/**
 * Draws the app icon, `build/icon.png`: a 1024×1024 PNG of four candlesticks (two up, two down)
 * on the app's dark background, in a rounded square with transparent corners. electron-builder
 * derives the Windows .ico and the macOS .icns from it.
 *
 *   node build/make-icon.mjs            writes build/icon.png
 *   node build/make-icon.mjs out.png    writes out.png
 *
 * Deterministic: the same script always draws the same pixels. 4×4 supersampling smooths edges.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 1024;
const SUB = 4;

const BACKGROUND = [15, 17, 21]; // #0f1115, the windows' background
const FRAME = [38, 43, 54];
const UP = [38, 166, 154]; // green candle
const DOWN = [239, 83, 80]; // red candle

/** Rounded square: the icon's outline. */
const OUTER = { x: 64, y: 64, w: 896, h: 896, r: 180 };
const BORDER = 20;

/** Candles: centre x, body top/bottom, wick top/bottom (px), up or down. */
const CANDLES = [
  { x: 272, bodyTop: 560, bodyBottom: 760, wickTop: 480, wickBottom: 820, color: DOWN },
  { x: 432, bodyTop: 440, bodyBottom: 640, wickTop: 360, wickBottom: 700, color: UP },
  { x: 592, bodyTop: 500, bodyBottom: 600, wickTop: 430, wickBottom: 660, color: DOWN },
  { x: 752, bodyTop: 240, bodyBottom: 520, wickTop: 180, wickBottom: 590, color: UP },
];
const BODY_HALF_WIDTH = 56;
const WICK_HALF_WIDTH = 10;

function insideRoundedRect(px, py, { x, y, w, h, r }) {
  if (px < x || py < y || px > x + w || py > y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

/** Colour at a sample point, or null outside the icon. */
function sample(px, py) {
  if (!insideRoundedRect(px, py, OUTER)) return null;
  const inner = { x: OUTER.x + BORDER, y: OUTER.y + BORDER, w: OUTER.w - 2 * BORDER, h: OUTER.h - 2 * BORDER, r: OUTER.r - BORDER };
  if (!insideRoundedRect(px, py, inner)) return FRAME;
  for (const c of CANDLES) {
    const inBody = Math.abs(px - c.x) <= BODY_HALF_WIDTH && py >= c.bodyTop && py <= c.bodyBottom;
    const inWick = Math.abs(px - c.x) <= WICK_HALF_WIDTH && py >= c.wickTop && py <= c.wickBottom;
    if (inBody || inWick) return c.color;
  }
  return BACKGROUND;
}

/** The icon as PNG bytes. */
export function drawIcon() {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let hits = 0;
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) {
          const color = sample(x + (sx + 0.5) / SUB, y + (sy + 0.5) / SUB);
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          hits++;
        }
      }
      const i = (y * SIZE + x) * 4;
      png.data[i] = hits ? Math.round(r / hits) : 0;
      png.data[i + 1] = hits ? Math.round(g / hits) : 0;
      png.data[i + 2] = hits ? Math.round(b / hits) : 0;
      png.data[i + 3] = Math.round((hits / (SUB * SUB)) * 255);
    }
  }
  return PNG.sync.write(png);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
  writeFileSync(target, drawIcon());
  process.stdout.write(`Icon written to ${target}\n`);
}
