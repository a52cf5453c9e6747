import { CaptureTag, type Context, type Liquid } from 'liquidjs';
import { jsonSlot, toRawJson } from './json-slots.js';
import { liquidText } from './liquid-text.js';

/** How one kind of destination reads text: what its templates' outputs must be escaped for. */
export interface OutputContext {
  /** Applied to the text of every value a template outputs (`&` -> `&amp;` for Slack, ...). */
  text?: (s: string) => string;
  /** The template renders a JSON document: values fill string literals or whole values (json-slots.ts). */
  json?: boolean;
}

/** Depth of `capture` blocks being rendered, per render context. */
const capturing = new WeakMap<Context, number>();

/**
 * `capture` keeps the values it captures as they are: escaping happens once, when the captured
 * text is output, never twice (`&amp;amp;`), and never in a way a later filter could undo.
 */
class InertCapture extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    capturing.set(ctx, (capturing.get(ctx) ?? 0) + 1);
    try {
      yield* super.render(ctx);
    } finally {
      capturing.set(ctx, (capturing.get(ctx) ?? 1) - 1);
    }
  }
}

/**
 * Makes `engine` escape every output for `out`: LiquidJS's `outputEscape` applies to `{{ }}`,
 * `echo` and `cycle` alike. `raw`, which would skip it, is removed: event values are escaped
 * whatever the template says. JSON contexts get their own `json` filter (the one way to put a
 * list or an object outside quotes).
 */
export function escapeOutputs(engine: Liquid, out: OutputContext): void {
  const text = out.text ?? ((s: string) => s);
  const escape = out.json ? (v: unknown): string => jsonSlot(v, text) : (v: unknown): string => text(liquidText(v));
  // Inside `capture` the value goes through untouched (a string or not): the emitter prints it.
  engine.options.outputEscape = function (this: { context: Context }, v: unknown): string {
    return (capturing.get(this.context) ?? 0) > 0 ? (v as string) : escape(v);
  };
  engine.registerTag('capture', InertCapture);
  engine.unregisterFilter('raw');
  if (out.json) {
    const json = (v: unknown, space?: unknown): unknown => toRawJson(v, text, space);
    engine.registerFilter('json', json);
    engine.registerFilter('jsonify', json);
  }
}
