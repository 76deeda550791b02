/**
 * Fault drill (issue 7): every command from a renderer or a WebSocket is schema-validated,
 * fuzzed with fast-check. Requests are random JSON values and mutations of every command type
 * of shared/protocol.ts (wrong types, missing and extra keys, huge strings, negative / NaN /
 * ±Infinity numbers, `__proto__` / `constructor` keys, nested garbage, bad ids).
 *
 * Fixed seed (reproducible): 7_101. Each request goes to the parser alone, then to the engine.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandError, ErrorCode, ServerMessage } from '../../../shared/protocol';
import { WINDOW_KINDS } from '../../../shared/protocol';
import { parseClientRequest } from '../../../shared/schemas';
import { Engine } from '../../../electron/engine/engine';
import { openDatabase, type SqliteDatabase } from '../../../electron/engine/store/database';
import { sessionTimes } from '../../../electron/engine/market/session-clock';
import { FakeFeed } from '../../support/fake-feed';
import { tempDbPath } from '../../support/trading-desk';

const ERROR_CODES: readonly ErrorCode[] = ['invalid_command', 'order_rejected', 'not_found', 'not_cancelable', 'invalid_settings', 'engine_unavailable', 'internal'];
const T0 = sessionTimes('2013-10-07').regularOpen + 3_600_000;

// ---- valid commands, one arbitrary per command type ------------------------------------------

const symbol = fc.constantFrom('IBM', 'SPY', 'ibm', ' spy ');
const price = fc.integer({ min: 1, max: 40_000 }).map((c) => c / 100);
const quantity = fc.integer({ min: 1, max: 500 });
const topic = fc.oneof(
  fc.constantFrom('orders', 'positions', 'health', 'settings', 'links', 'symbols', 'alerts', 'risk', 'layouts'),
  fc.tuple(fc.constantFrom('quotes', 'trades'), fc.constantFrom('IBM', 'SPY')).map(([k, s]) => `${k}:${s}`),
  fc.tuple(fc.constantFrom('IBM', 'SPY'), fc.constantFrom('1m', '5m', '15m', '1h', '1d')).map(([s, tf]) => `bars:${s}:${tf}`),
);
const orderId = fc.oneof(fc.constantFrom('o-1', 'missing'), fc.uuid());
const timeInForce = fc.constantFrom('day', 'gtc');
const order = fc.oneof(
  fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), quantity, type: fc.constant('market'), timeInForce }),
  fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), quantity, type: fc.constant('limit'), limitPrice: price, timeInForce, extendedHours: fc.boolean() }),
  fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), quantity, type: fc.constant('stop'), stopPrice: price, timeInForce }),
  fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), quantity, type: fc.constant('stop_limit'), limitPrice: price, stopPrice: price, timeInForce }),
  fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), quantity, type: fc.constant('trailing_stop'), trailPercent: fc.integer({ min: 1, max: 50 }), timeInForce }),
  fc.record({ symbol, side: fc.constant('buy'), quantity, type: fc.constant('limit'), limitPrice: price, timeInForce, orderClass: fc.constant('bracket'), takeProfit: fc.record({ limitPrice: fc.constant(300) }), stopLoss: fc.record({ stopPrice: fc.constant(50) }), clientOrderId: fc.stringMatching(/^[\w.:-]{1,20}$/) }),
);
const layout = fc.record({
  name: fc.string({ minLength: 1, maxLength: 20 }),
  arrangementKey: fc.constant('1920x1080@1'),
  savedAt: fc.constant(T0),
  windows: fc.array(fc.record({ kind: fc.constantFrom(...WINDOW_KINDS), group: fc.constantFrom('blue', null), bounds: fc.record({ x: fc.nat(1000), y: fc.nat(800), width: fc.integer({ min: 200, max: 900 }), height: fc.integer({ min: 200, max: 700 }) }), displayId: fc.constant(1) }), { maxLength: 3 }),
});
const settingsPatch = fc.oneof(
  fc.record({ risk: fc.record({ maxOrderNotional: fc.integer({ min: 1_000, max: 1_000_000 }) }) }),
  fc.record({ appearance: fc.record({ theme: fc.constantFrom('dark', 'light'), fontScale: fc.constantFrom(0.8, 1, 1.2) }) }),
  fc.record({ paper: fc.record({ latencyMs: fc.nat(100) }) }),
  fc.record({ notifications: fc.record({ throttleSeconds: fc.nat(60) }) }),
);

const validCommands: ReadonlyArray<fc.Arbitrary<Record<string, unknown>>> = [
  fc.record({ type: fc.constant('subscribe'), topics: fc.array(topic, { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('unsubscribe'), topics: fc.array(topic, { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('placeOrder'), order }),
  fc.record({ type: fc.constant('cancelOrder'), orderId }),
  fc.record({ type: fc.constant('replaceOrder'), orderId, quantity }, { requiredKeys: ['type', 'orderId'] }).map((c) => ('quantity' in c ? c : { ...c, limitPrice: 10 })),
  fc.record({ type: fc.constant('cancelAll'), symbol }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('getSettings') }),
  fc.record({ type: fc.constant('updateSettings'), settings: settingsPatch }),
  fc.record({ type: fc.constant('linkSymbol'), group: fc.constantFrom('blue', 'red'), symbol, prefill: fc.record({ side: fc.constantFrom('buy', 'sell'), entry: price, stop: price, target: price, alertId: fc.constant('a-1') }) }, { requiredKeys: ['type', 'group', 'symbol'] }),
  fc.record({ type: fc.constant('flattenAll') }),
  fc.record({ type: fc.constant('killSwitch') }),
  fc.record({ type: fc.constant('setRiskState'), state: fc.constantFrom('active', 'reducing', 'halted'), reason: fc.string({ maxLength: 30 }) }, { requiredKeys: ['type', 'state'] }),
  fc.record({ type: fc.constant('reportWindowHealth'), kind: fc.constantFrom(...WINDOW_KINDS), fps: fc.integer({ min: 0, max: 240 }), longestFrameMs: fc.nat(500), visible: fc.boolean() }),
  fc.record({ type: fc.constant('acknowledgeAlerts'), ids: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('lockRiskSettings') }),
  fc.record({ type: fc.constant('saveLayout'), layout }),
  fc.record({ type: fc.constant('deleteLayout'), name: fc.string({ minLength: 1, maxLength: 20 }) }),
  fc.record({ type: fc.constant('renameLayout'), from: fc.string({ minLength: 1, maxLength: 20 }), to: fc.string({ minLength: 1, maxLength: 20 }) }),
];
const validCommand = fc.oneof(...validCommands);

// ---- mutations -----------------------------------------------------------------------------

const prototypeKeys = fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"__proto__":{"type":"killSwitch"}}').map((t) => JSON.parse(t) as Record<string, unknown>);
const deep = fc.integer({ min: 10, max: 300 }).map((depth) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = depth % 2 ? [v] : { a: v };
  return v;
});
/** Values of the wrong type or out of range for any field. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, -0, 0, 1e308, -1e308, 2 ** 53, 0.5, null, undefined, true, '', ' ', [], {}, '1e3', 'NaN', '10'),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'A'.repeat(n)),
  fc.string({ maxLength: 30 }),
  fc.double(),
  fc.integer(),
  fc.jsonValue({ maxDepth: 3 }),
  prototypeKeys,
  deep,
);
const badId = fc.constantFrom<unknown>(-1, -0.5, 1.5, NaN, Infinity, -Infinity, '1', null, undefined, true, [], {}, 2 ** 53, -(2 ** 31), 1e300);
const goodId = fc.nat(1_000_000);

/** Sets `value` at a random path (of the keys present) inside a command; returns a deep copy. */
function setAt(command: Record<string, unknown>, pick: number, value: unknown, remove: boolean): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(command)) as Record<string, unknown>;
  const paths: Array<[Record<string, unknown>, string]> = [];
  const walk = (node: Record<string, unknown>): void => {
    for (const key of Object.keys(node)) {
      paths.push([node, key]);
      const child = node[key];
      if (typeof child === 'object' && child !== null) walk(child as Record<string, unknown>);
    }
  };
  walk(copy);
  const [node, key] = paths[pick % paths.length] as [Record<string, unknown>, string];
  if (remove) delete node[key];
  else node[key] = value;
  return copy;
}

/** A command mutated once: a field replaced or removed, an extra or prototype key, a type swapped. */
const mutatedCommand: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(validCommand, fc.nat(), garbage).map(([c, k, v]) => setAt(c, k, v, false)) },
  { weight: 2, arbitrary: fc.tuple(validCommand, fc.nat()).map(([c, k]) => setAt(c, k, undefined, true)) },
  { weight: 2, arbitrary: fc.tuple(validCommand, fc.string({ minLength: 1, maxLength: 12 }), garbage).map(([c, k, v]) => ({ ...c, [k === 'type' ? 'extra' : k]: v })) },
  { weight: 1, arbitrary: fc.tuple(validCommand, prototypeKeys).map(([c, extra]) => Object.assign(JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, c)) },
  { weight: 1, arbitrary: fc.tuple(validCommand, validCommand).map(([a, b]) => ({ ...a, type: b.type })) },
  { weight: 1, arbitrary: fc.tuple(validCommand, garbage).map(([c, t]) => ({ ...c, type: t })) },
);

/** Requests: valid ones, mutated commands, bad ids, extra top-level keys, and random JSON values. */
const request: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ id: goodId, command: validCommand }) },
  { weight: 8, arbitrary: fc.record({ id: goodId, command: mutatedCommand }) },
  { weight: 1, arbitrary: fc.record({ id: badId, command: fc.oneof(validCommand, mutatedCommand) }, { requiredKeys: ['command'] }) },
  { weight: 1, arbitrary: fc.tuple(goodId, validCommand, fc.string({ minLength: 1, maxLength: 8 }), garbage).map(([id, command, k, v]) => ({ id, command, [k === 'id' || k === 'command' ? 'x' : k]: v })) },
  { weight: 1, arbitrary: fc.tuple(goodId, validCommand, prototypeKeys).map(([id, command, extra]) => Object.assign(JSON.parse(JSON.stringify(extra)) as Record<string, unknown>, { id, command })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.record({ id: fc.oneof(goodId, badId), command: fc.jsonValue({ maxDepth: 3 }) }) },
  { weight: 1, arbitrary: garbage },
);

/** Reports a failure in a few lines (the default prints the whole batch, megabytes of hostile strings). */
const compact = <T>(seed: number) => (details: fc.RunDetails<T>): void => {
  if (!details.failed) return;
  const example = JSON.stringify(details.counterexample, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v));
  throw new Error(`seed ${seed}, path ${details.counterexamplePath ?? '?'}: ${String(details.errorInstance)}\n${example.slice(0, 4_000)}`);
};

// ---- checks --------------------------------------------------------------------------------

/** The id a reply must carry: a non-negative integer `id` of an object request, else none. */
function answerableId(input: unknown): number | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const id = (input as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}

/** What is wrong with an error, or null: a known code, a message, a non-empty field if any. */
function errorProblem(error: CommandError): string | null {
  if (!ERROR_CODES.includes(error.code)) return `unknown code ${String(error.code)}`;
  if (typeof error.message !== 'string' || error.message.length === 0) return 'no message';
  if (error.field !== undefined && (typeof error.field !== 'string' || error.field.length === 0)) return 'empty field';
  return null;
}

/** What is wrong with a schema failure, or null: for an object, the failing path is named. */
function schemaErrorProblem(error: CommandError, input: unknown): string | null {
  if (error.code !== 'invalid_command') return `code ${error.code}`;
  const problem = errorProblem(error);
  if (problem) return problem;
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    // The failing path is known for an object: it is named, except an unrecognized top-level key, which the message names.
    if (error.field === undefined && !/Unrecognized key/.test(error.message)) return `no field: ${error.message}`;
    if (error.field !== undefined && !/^(id|command)(\.|$)/.test(error.field)) return `field ${error.field} is not a request path`;
  }
  return null;
}

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const unpolluted = () => Object.getOwnPropertyNames(Object.prototype).sort().join() === PROTO_NAMES.join() && ({} as Record<string, unknown>).polluted === undefined;

// ---- the drill ----------------------------------------------------------------------------

/** Throws (cheaper than an `expect` per request, 100 000 times) unless `ok`. */
function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what());
}
const show = (input: unknown): string => JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…` : v))?.slice(0, 400) ?? String(input);

/**
 * The engine's stored state. `writes`: rows written since the database opened (SQLite
 * `total_changes()`), which a schema failure must not move. A refused command may leave an audit
 * trail (an order recorded as `rejected`, its events, an alert); `kept` is what it must never
 * change: how many orders are in each other status, fills, settings and layouts.
 */
function writes(db: SqliteDatabase): number {
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}
function kept(db: SqliteDatabase): string {
  return JSON.stringify(
    db
      .prepare(
        `SELECT (SELECT group_concat(s, ';') FROM (SELECT status || '=' || count(*) AS s FROM orders WHERE status <> 'rejected' GROUP BY status)) AS orders,
                (SELECT count(*) FROM fills) AS fills, (SELECT group_concat(key || '=' || value, ';') FROM settings) AS settings,
                (SELECT group_concat(name || '=' || value, ';') FROM layouts) AS layouts`,
      )
      .get(),
  );
}

describe('command fuzz (fast-check): parseClientRequest and Engine.handleRequest', () => {
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  it('never throw; one reply exactly when the id is a non-negative integer; errors are well formed; refused commands change nothing (seed 7101, 100 000 requests)', { timeout: 60_000 }, () => {
    const feed = new FakeFeed(['IBM', 'SPY']);
    // 100 000 requests: durability is not under test here, so no fsync per commit.
    const db = openDatabase({ path: tempDbPath(), synchronous: 'NORMAL' });
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (m: string) => void warnings.push(m), error: () => undefined };
    const engine = new Engine({ feed, db, logger, now: () => T0 });
    close = () => {
      engine.stop();
      db.close();
    };
    const messages: ServerMessage[] = [];
    engine.start();
    engine.connect('w1', (m) => messages.push(m));
    feed.quote('IBM', 181.9, 181.95, T0);
    feed.quote('SPY', 168.9, 168.95, T0);
    let sent = 0;
    const outcomes: Record<string, number> = {};
    fc.assert(
      fc.property(fc.array(request, { minLength: 100, maxLength: 100 }), (batch) => {
        for (const input of batch) {
          sent++;
          const id = answerableId(input);
          // The parser alone: a value, or an invalid_command error naming the field, with the id when it is one.
          const parsed = parseClientRequest(input);
          if (parsed.ok) check(parsed.value.id === id, () => `accepted with id ${parsed.value.id}: ${show(input)}`);
          else {
            const problem = schemaErrorProblem(parsed.error, input);
            check(problem === null, () => `${problem}: ${show(input)}`);
            check(parsed.id === id, () => `parse id ${parsed.id} for ${show(input)}`);
          }
          // The engine.
          const writtenBefore = writes(db);
          const keptBefore = parsed.ok ? kept(db) : '';
          const warned = warnings.length;
          messages.length = 0;
          engine.handleRequest('w1', input); // must not throw
          const replies = messages.filter((m) => m.type === 'reply');
          if (id === undefined) {
            check(replies.length === 0 && warnings.length === warned + 1, () => `${replies.length} replies, ${warnings.length - warned} warnings: ${show(input)}`);
            check(writes(db) === writtenBefore, () => `an unanswered request wrote to the store: ${show(input)}`);
            continue;
          }
          const reply = replies[0];
          check(replies.length === 1 && reply?.type === 'reply' && reply.id === id, () => `${replies.length} replies for id ${id}: ${show(input)}`);
          if (reply?.type !== 'reply') continue;
          const outcome = reply.ok ? 'ok' : reply.error.code;
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          if (reply.ok) continue;
          const problem = errorProblem(reply.error);
          check(problem === null, () => `${problem}: ${show(reply.error)} for ${show(input)}`);
          if (!parsed.ok) {
            // A schema failure is answered with the parser's error and changes nothing at all.
            check(JSON.stringify(reply.error) === JSON.stringify(parsed.error), () => `${show(reply.error)} ≠ ${show(parsed.error)}`);
            check(writes(db) === writtenBefore, () => `a schema failure wrote to the store: ${show(input)}`);
          } else {
            // A refused command adds no working order, fill, setting or layout (an audit trail may be written).
            check(kept(db) === keptBefore, () => `refused (${show(reply.error)}) yet changed the store: ${show(input)}`);
          }
        }
        engine.flush(); // as the flush timer would between batches
        check(unpolluted(), () => 'Object.prototype polluted');
      }),
      { seed: 7_101, numRuns: 1_000, endOnFailure: true, reporter: compact(7_101) },
    );
    expect(sent).toBe(100_000);
    // The mix reaches the handlers (accepted commands and business refusals), not only the schema.
    expect(outcomes.ok ?? 0).toBeGreaterThan(5_000);
    expect(outcomes.invalid_command ?? 0).toBeGreaterThan(30_000);
    expect(outcomes.internal ?? 0).toBe(0); // a handler that throws on validated input is a bug
  });
});
