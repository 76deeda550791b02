/**
 * Schemas (zod) for the payloads windows send main on the layout and window channels. A
 * window is untrusted input: every payload is parsed here before main acts on it.
 */
import { z } from 'zod';
import { TIMEFRAMES } from '../../shared/domain';
import { MAX_LAYOUT_NAME_LENGTH } from '../../shared/layouts';
import type { WindowStateReport } from '../../shared/preload-api';
import { WINDOW_KINDS, type WindowParams } from '../../shared/protocol';
import { symbolSchema } from '../../shared/schemas';

/** Coordinates beyond this are not a real desktop, DIP px (as in `shared/layouts.ts`). */
const MAX_COORDINATE = 100_000;

const groupSchema = z.string().min(1).max(32);

const chartSchema = z.object({
  timeframe: z.enum(TIMEFRAMES),
  indicators: z.array(z.string().min(1).max(40)).max(40).optional(),
});

const rectSchema = z.object({
  x: z.number().min(-MAX_COORDINATE).max(MAX_COORDINATE),
  y: z.number().min(-MAX_COORDINATE).max(MAX_COORDINATE),
  width: z.number().positive().max(MAX_COORDINATE),
  height: z.number().positive().max(MAX_COORDINATE),
});

/** `openWindow` payload: a {@link WindowParams}; unknown keys are dropped. */
export const windowParamsSchema = z.object({
  kind: z.enum(WINDOW_KINDS),
  symbol: symbolSchema.optional(),
  group: groupSchema.optional(),
  timeframe: z.enum(TIMEFRAMES).optional(),
  bounds: rectSchema.optional(),
}) satisfies z.ZodType<WindowParams>;

/** `reportState` payload: a {@link WindowStateReport}; unknown keys are dropped. */
export const windowStateReportSchema = z.object({
  symbol: symbolSchema.nullable(),
  group: groupSchema,
  chart: chartSchema.optional(),
}) satisfies z.ZodType<WindowStateReport>;

/** `saveLayout` / `applyLayout` payload: a layout name, trimmed, 1–{@link MAX_LAYOUT_NAME_LENGTH} characters. */
export const layoutNameSchema = z.string().trim().min(1).max(MAX_LAYOUT_NAME_LENGTH);
