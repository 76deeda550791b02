/**
 * Schemas (zod) for everything that crosses a trust boundary: commands from windows and
 * settings. A failed parse becomes a {@link CommandError} naming the bad field.
 */
import { hotkeySettingsSchema } from './hotkeys';
import { z } from 'zod';
import { LOG_LEVELS, type Settings } from './domain';
import { WINDOW_KINDS, type ClientRequest, type CommandError, type SettingsPatch } from './protocol';

const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,9}$/;

/** A ticker symbol: 1–10 characters, letters first, upper-cased on the way in. */
export const symbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(SYMBOL_PATTERN, 'must be a ticker symbol such as IBM');

const topicSchema = z
  .string()
  .regex(
    /^(?:(?:quotes|trades):[A-Z][A-Z0-9.-]{0,9}|bars:[A-Z][A-Z0-9.-]{0,9}:(?:1m|5m|15m|1h|1d)|orders|positions|health|settings|links|symbols|alerts|risk|layouts)$/,
    'is not a known topic',
  );

const topicsSchema = z.array(topicSchema).min(1).max(500);

/** An order as typed into a ticket. Business rules (tick grid, notional) are checked by risk. */
export const orderRequestSchema = z
  .strictObject({
    symbol: symbolSchema,
    side: z.enum(['buy', 'sell']),
    quantity: z.number().finite(),
    type: z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']),
    limitPrice: z.number().finite().optional(),
    stopPrice: z.number().finite().optional(),
    trailPrice: z.number().finite().positive('must be a positive distance in USD').optional(),
    trailPercent: z.number().finite().positive('must be a positive percentage').max(50).optional(),
    timeInForce: z.enum(['day', 'gtc', 'ioc', 'fok', 'opg', 'cls']),
    extendedHours: z.boolean().optional(),
    orderClass: z.enum(['simple', 'bracket', 'oco', 'oto']).optional(),
    takeProfit: z.strictObject({ limitPrice: z.number().finite().positive() }).optional(),
    stopLoss: z.strictObject({ stopPrice: z.number().finite().positive(), limitPrice: z.number().finite().positive().optional() }).optional(),
    clientOrderId: z
      .string()
      .min(1)
      .max(48, 'must be at most 48 characters')
      .regex(/^[\w.:-]+$/, 'may hold letters, digits and . _ : - only')
      .optional(),
  })
  .superRefine((order, ctx) => {
    const needsLimit = order.type === 'limit' || order.type === 'stop_limit';
    const needsStop = order.type === 'stop' || order.type === 'stop_limit';
    if (needsLimit && order.limitPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `is required for a ${order.type.replace('_', '-')} order` });
    }
    if (!needsLimit && order.limitPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `must be empty for a ${order.type} order` });
    }
    if (needsStop && order.stopPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `is required for a ${order.type.replace('_', '-')} order` });
    }
    if (!needsStop && order.stopPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `must be empty for a ${order.type} order` });
    }
    const trailing = order.type === 'trailing_stop';
    if (trailing && (order.trailPrice === undefined) === (order.trailPercent === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['trailPrice'], message: 'a trailing stop needs either a trail in USD or a trail percent' });
    }
    if (!trailing && (order.trailPrice !== undefined || order.trailPercent !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [order.trailPrice !== undefined ? 'trailPrice' : 'trailPercent'], message: 'applies to trailing stops only' });
    }
    if (['ioc', 'fok', 'opg', 'cls'].includes(order.timeInForce) && (needsStop || trailing)) {
      ctx.addIssue({ code: 'custom', path: ['timeInForce'], message: `${order.timeInForce} applies to market and limit orders only` });
    }
    const orderClass = order.orderClass ?? 'simple';
    if (orderClass === 'simple' && (order.takeProfit || order.stopLoss)) {
      ctx.addIssue({ code: 'custom', path: [order.takeProfit ? 'takeProfit' : 'stopLoss'], message: 'needs order class bracket, oto or oco' });
    }
    if (orderClass === 'bracket' || orderClass === 'oco') {
      if (!order.takeProfit) ctx.addIssue({ code: 'custom', path: ['takeProfit'], message: `is required for a ${orderClass} order` });
      if (!order.stopLoss) ctx.addIssue({ code: 'custom', path: ['stopLoss'], message: `is required for a ${orderClass} order` });
    }
    if (orderClass === 'oto' && !order.takeProfit === !order.stopLoss) {
      ctx.addIssue({ code: 'custom', path: ['takeProfit'], message: 'an oto order has exactly one exit: a take-profit or a stop-loss' });
    }
    if (orderClass !== 'simple') {
      // Alpaca's rules: entries are market or limit, day or gtc; an oco is a limit take-profit with a stop-loss.
      if (orderClass === 'oco' ? order.type !== 'limit' : order.type !== 'market' && order.type !== 'limit') {
        ctx.addIssue({ code: 'custom', path: ['type'], message: orderClass === 'oco' ? 'an oco order is a limit order (its take-profit)' : `a ${orderClass} entry is a market or limit order` });
      }
      if (order.timeInForce !== 'day' && order.timeInForce !== 'gtc') ctx.addIssue({ code: 'custom', path: ['timeInForce'], message: `a ${orderClass} order is day or gtc` });
      if (order.extendedHours) ctx.addIssue({ code: 'custom', path: ['extendedHours'], message: `a ${orderClass} order trades in the regular session only` });
      const tp = order.takeProfit?.limitPrice;
      const sl = order.stopLoss?.stopPrice;
      const entrySide = orderClass === 'oco' ? (order.side === 'buy' ? 'sell' : 'buy') : order.side;
      if (tp !== undefined && sl !== undefined && (entrySide === 'buy' ? !(tp > sl) : !(tp < sl))) {
        ctx.addIssue({ code: 'custom', path: ['takeProfit', 'limitPrice'], message: entrySide === 'buy' ? 'must be above the stop-loss for a long position' : 'must be below the stop-loss for a short position' });
      }
    }
    if (order.extendedHours && (order.type !== 'limit' || order.timeInForce !== 'day')) {
      ctx.addIssue({ code: 'custom', path: ['extendedHours'], message: 'applies to limit orders with day time in force only' });
    }
  });

const usdAmount = z.number().finite().positive('must be a positive amount in USD').max(1e9);
const count = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max);
const riskSettingsSchema = z.strictObject({
  maxOrderQuantity: count(10_000_000),
  maxOrderNotional: usdAmount,
  maxPositionNotional: usdAmount,
  maxOpenPositions: count(10_000),
  priceBandPercent: z.number().finite().positive('must be a positive percentage').max(100),
  allowShortSelling: z.boolean(),
  maxOrdersPerMinute: count(100_000),
  maxDailyTrades: count(1_000_000),
  dailyLossLimit: usdAmount,
  lossLimitAction: z.enum(['reduce', 'halt']),
});
const paperSettingsSchema = z.strictObject({
  startingCash: z.number().finite().positive('must be a positive amount in USD').max(1e10),
  latencyMs: z.number().int('must be whole milliseconds').min(0).max(10_000),
});
const recordingSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  retentionDays: z.number().int('must be whole days').min(1).max(3650),
});
const brokerSettingsSchema = z.strictObject({
  whenStreamDown: z.enum(['hold', 'refuse']),
  maxHoldSeconds: z.number().finite().min(1).max(600),
});

const positive = (what: string) => z.number().finite().positive(`must be a positive ${what}`);
const screenerBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or dashes'),
  name: z.string().trim().min(1, 'must not be empty').max(60),
  enabled: z.boolean(),
  symbols: z.array(symbolSchema).max(500),
  maxAlertsPerDay: z.number().int().min(1).max(1000),
  cooldownMinutes: z.number().finite().min(0).max(390),
};
const screenerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...screenerBase,
    kind: z.literal('gap-and-go'),
    params: z.strictObject({
      minGapPercent: positive('percentage').max(1000),
      minRelativeVolume: z.number().finite().min(0).max(1000),
      stopBelowVwapPercent: z.number().finite().min(0).max(50),
      rewardRisk: positive('ratio').max(100),
    }),
  }),
  z.strictObject({
    ...screenerBase,
    kind: z.literal('vwap-reclaim'),
    params: z.strictObject({
      minBarsBelow: z.number().int().min(1).max(390),
      minVolumeRatio: z.number().finite().min(0).max(1000),
      stopBufferUsd: z.number().finite().min(0).max(1000),
      rewardRisk: positive('ratio').max(100),
    }),
  }),
]);
const anomalySchema = z.strictObject({
  enabled: z.boolean(),
  windowBars: z.number().int().min(5).max(1000),
  priceSpikeZ: positive('z-score').max(100),
  volumeSpikeMultiple: z.number().finite().min(1).max(1000),
  spreadMultiple: z.number().finite().min(1).max(1000),
  staleSeconds: positive('number of seconds').max(3600),
  cooldownMinutes: z.number().finite().min(0).max(390),
});

const ticketSettingsSchema = z.strictObject({
  sizePresets: z
    .array(z.number().int('must be whole shares').min(1, 'must be at least 1 share').max(10_000_000))
    .min(1, 'needs at least one size')
    .max(8, 'holds at most 8 sizes'),
  riskPerTradeUsd: usdAmount,
});
const perSeverity = z.strictObject({ info: z.boolean(), warning: z.boolean(), critical: z.boolean() });
const notificationSettingsSchema = z.strictObject({
  desktop: perSeverity,
  sound: perSeverity,
  throttleSeconds: z.number().finite().min(0, 'must be 0 or more seconds').max(3600),
});
const appearanceSettingsSchema = z.strictObject({
  theme: z.enum(['dark', 'light']),
  fontScale: z.number().finite().min(0.8, 'must be at least 0.8').max(1.6, 'must be at most 1.6'),
});
/** Amber and red limits where a higher figure is worse (amber below red), or lower is worse (`lowerIsWorse`). */
const gaugeLimits = (lowerIsWorse = false) =>
  z
    .strictObject({ amber: z.number().finite().min(0, 'must be 0 or more'), red: z.number().finite().min(0, 'must be 0 or more') })
    .refine((g) => (lowerIsWorse ? g.red < g.amber : g.amber < g.red), {
      message: lowerIsWorse ? 'red must be below amber' : 'amber must be below red',
      path: ['red'],
    });
const healthThresholdsSchema = z.strictObject({
  feedLatencyMs: gaugeLimits(),
  eventLoopMs: gaugeLimits(),
  cpuPercent: gaugeLimits(),
  reconnects: gaugeLimits(),
  orderRoundTripMs: gaugeLimits(),
  windowFps: gaugeLimits(true),
});

const loggingSettingsSchema = z.strictObject({ level: z.enum(LOG_LEVELS) });

/** Full settings, as stored. */
const chartSettingsSchema = z.strictObject({ extendedHours: z.boolean() });

export const settingsSchema = z.strictObject({
  watchlist: z.array(symbolSchema).min(1).max(500),
  charts: chartSettingsSchema,
  screeners: z
    .array(screenerSchema)
    .max(50)
    .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'must have unique ids'),
  anomaly: anomalySchema,
  risk: riskSettingsSchema,
  paper: paperSettingsSchema,
  broker: brokerSettingsSchema,
  recording: recordingSettingsSchema,
  hotkeys: hotkeySettingsSchema,
  ticket: ticketSettingsSchema,
  notifications: notificationSettingsSchema,
  appearance: appearanceSettingsSchema,
  healthThresholds: healthThresholdsSchema,
  logging: loggingSettingsSchema,
});

const settingsPatchSchema = z.strictObject({
  watchlist: settingsSchema.shape.watchlist.optional(),
  charts: chartSettingsSchema.partial().optional(),
  screeners: settingsSchema.shape.screeners.optional(),
  anomaly: anomalySchema.partial().optional(),
  risk: riskSettingsSchema.partial().optional(),
  paper: paperSettingsSchema.partial().optional(),
  broker: brokerSettingsSchema.partial().optional(),
  recording: recordingSettingsSchema.partial().optional(),
  // Hotkeys are replaced whole: conflicts are judged over the full set.
  hotkeys: hotkeySettingsSchema.optional(),
  ticket: ticketSettingsSchema.partial().optional(),
  notifications: notificationSettingsSchema.partial().optional(),
  appearance: appearanceSettingsSchema.partial().optional(),
  healthThresholds: healthThresholdsSchema.partial().optional(),
  logging: loggingSettingsSchema.partial().optional(),
});

const commandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), topics: topicsSchema }),
  z.strictObject({ type: z.literal('unsubscribe'), topics: topicsSchema }),
  z.strictObject({ type: z.literal('placeOrder'), order: orderRequestSchema }),
  z.strictObject({ type: z.literal('cancelOrder'), orderId: z.string().min(1).max(64) }),
  z
    .strictObject({
      type: z.literal('replaceOrder'),
      orderId: z.string().min(1).max(64),
      quantity: z.number().finite().optional(),
      limitPrice: z.number().finite().optional(),
      stopPrice: z.number().finite().optional(),
    })
    .refine((c) => c.quantity !== undefined || c.limitPrice !== undefined || c.stopPrice !== undefined, 'must change the quantity or a price'),
  z.strictObject({ type: z.literal('cancelAll'), symbol: symbolSchema.optional() }),
  z.strictObject({ type: z.literal('getSettings') }),
  // The patch itself is validated by applySettingsPatch, so errors name the settings field.
  z.strictObject({ type: z.literal('updateSettings'), settings: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    type: z.literal('linkSymbol'),
    group: z.string().min(1).max(32),
    symbol: symbolSchema,
    prefill: z
      .strictObject({
        side: z.enum(['buy', 'sell']),
        entry: z.number().finite().positive(),
        stop: z.number().finite().positive(),
        target: z.number().finite().positive(),
        alertId: z.string().min(1).max(100),
      })
      .optional(),
  }),
  z.strictObject({ type: z.literal('flattenAll') }),
  z.strictObject({ type: z.literal('killSwitch') }),
  z.strictObject({ type: z.literal('setRiskState'), state: z.enum(['active', 'reducing', 'halted']), reason: z.string().max(200).optional() }),
  z.strictObject({ type: z.literal('lockRiskSettings') }),
  z.strictObject({
    type: z.literal('reportWindowHealth'),
    kind: z.enum(WINDOW_KINDS),
    fps: z.number().finite().min(0).max(1000),
    longestFrameMs: z.number().finite().min(0).max(3_600_000),
    visible: z.boolean(),
  }),
  z.strictObject({ type: z.literal('acknowledgeAlerts'), ids: z.array(z.string().min(1).max(100)).max(1000).optional() }),
  // The layout itself is validated by the layouts module, so errors name the layout field.
  z.strictObject({ type: z.literal('saveLayout'), layout: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal('deleteLayout'), name: z.string().min(1).max(200) }),
  z.strictObject({ type: z.literal('renameLayout'), from: z.string().min(1).max(200), to: z.string().min(1).max(200) }),
]);

const clientRequestSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  command: commandSchema,
});

/** Result of parsing untrusted input. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CommandError };

function toCommandError(error: z.ZodError, code: CommandError['code']): CommandError {
  const issue = error.issues[0];
  if (!issue) return { code, message: 'Invalid input' };
  const field = issue.path.map(String).join('.');
  const readable = field ? `${field} ${issue.message}` : issue.message;
  return field ? { code, message: readable, field } : { code, message: readable };
}

/**
 * Parses a request from a window. On failure returns an `invalid_command` error naming the
 * first bad field (e.g. `command.order.quantity`), and the request id when one could be read.
 */
export function parseClientRequest(input: unknown): ParseResult<ClientRequest> & { readonly id?: number } {
  const parsed = clientRequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data as ClientRequest };
  // Only a non-negative integer is a request id a window could wait on; anything else is logged, not answered.
  const rawId = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  const id = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 0 ? rawId : undefined;
  const error = toCommandError(parsed.error, 'invalid_command');
  return id === undefined ? { ok: false, error } : { ok: false, error, id };
}

/** Validates complete settings (e.g. read back from the store). */
export function parseSettings(input: unknown): ParseResult<Settings> {
  const parsed = settingsSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: toCommandError(parsed.error, 'invalid_settings') };
}

/** Applies a patch to settings and validates the result, naming the first invalid field. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): ParseResult<Settings> {
  const parsedPatch = settingsPatchSchema.safeParse(patch);
  if (!parsedPatch.success) return { ok: false, error: toCommandError(parsedPatch.error, 'invalid_settings') };
  const p = parsedPatch.data;
  return parseSettings({
    watchlist: p.watchlist ?? current.watchlist,
    charts: { ...current.charts, ...p.charts },
    screeners: p.screeners ?? current.screeners,
    anomaly: { ...current.anomaly, ...p.anomaly },
    risk: { ...current.risk, ...p.risk },
    paper: { ...current.paper, ...p.paper },
    broker: { ...current.broker, ...p.broker },
    recording: { ...current.recording, ...p.recording },
    hotkeys: p.hotkeys ?? current.hotkeys,
    ticket: { ...current.ticket, ...p.ticket },
    notifications: { ...current.notifications, ...p.notifications },
    appearance: { ...current.appearance, ...p.appearance },
    healthThresholds: { ...current.healthThresholds, ...p.healthThresholds },
    logging: { ...current.logging, ...p.logging },
  });
}
