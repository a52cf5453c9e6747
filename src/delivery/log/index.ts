import { compileTemplate, renderTemplate, type CompiledTemplate } from '../../templates/engine.js';
import { eventView } from '../../domain/event-view.js';
import type { RelayEvent } from '../../domain/event.js';
import { success, permanent } from '../../domain/outcome.js';
import { TemplateError } from '../../errors.js';
import { resolveLogFormat } from '../../logging/log-format.js';
import type { Destination, DestinationKind } from '../destination.js';
import { logLine } from './log-line.js';
import { printedLine } from './printed-line.js';

/**
 * `log:` prints one readable line per delivery on the relay's standard output. The default rules
 * use it so that a fresh install shows events arriving without any secret or network.
 * Options: `format: text | json` (default text), `template` (Liquid, overrides the line).
 * The line follows the relay's own log format: a JSON line among JSON lines, so that
 * `npm start | jq` never meets anything else, or `[name] ...` among readable lines.
 */
export const logKind: DestinationKind = {
  kind: 'log',
  check(spec, ctx) {
    const src = spec.options['template'];
    if (typeof src !== 'string') return [];
    try {
      compileTemplate(src);
      return [];
    } catch (err) {
      return [{ path: ctx.posOf(['template']), message: (err as Error).message }];
    }
  },
  create(spec, deps): Destination {
    const format = spec.options['format'] === 'json' ? 'json' : 'text';
    const tpl: CompiledTemplate | null = typeof spec.options['template'] === 'string' ? compileTemplate(spec.options['template']) : null;
    const out = deps.out ?? process.stdout;
    const stdout = resolveLogFormat(deps.settings.logFormat, out);
    const content = async (event: RelayEvent): Promise<string | Record<string, unknown>> => {
      if (tpl) return (await renderTemplate(tpl, eventView(event))).replace(/\s*\n\s*/g, ' ');
      return format === 'json' ? eventView(event) : logLine(event);
    };
    return {
      name: spec.name,
      kind: 'log',
      orderKey: () => null,
      async render(event) {
        const c = await content(event);
        // The event sits under its own key: its fields (a file-transfer's `destination`) never
        // take the place of the destination's name.
        const text = typeof c === 'string' ? c : JSON.stringify({ destination: spec.name, event: c });
        return { target: `stdout (${format})`, summary: text, payload: text };
      },
      async send(delivery) {
        try {
          out.write(printedLine(stdout, spec.name, delivery.event, await content(delivery.event), deps.clock.now()));
          return success();
        } catch (err) {
          if (err instanceof TemplateError) return permanent('render', err.message);
          throw err;
        }
      },
    };
  },
};
