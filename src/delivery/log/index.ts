import { compileTemplate, renderTemplate, type CompiledTemplate } from '../../templates/engine.js';
import { eventView } from '../../domain/event-view.js';
import { success, permanent } from '../../domain/outcome.js';
import { TemplateError } from '../../errors.js';
import type { Destination, DestinationKind } from '../destination.js';
import { logLine } from './log-line.js';

/**
 * `log:` prints one readable line per delivery on the relay's standard output. The default rules
 * use it so that a fresh install shows events arriving without any secret or network.
 * Options: `format: text | json` (default text), `template` (Liquid, overrides the line).
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
    const line = async (event: Parameters<Destination['render']>[0]): Promise<string> => {
      if (tpl) return (await renderTemplate(tpl, eventView(event))).replace(/\s*\n\s*/g, ' ');
      return format === 'json' ? JSON.stringify({ destination: spec.name, ...eventView(event) }) : logLine(event);
    };
    return {
      name: spec.name,
      kind: 'log',
      orderKey: () => null,
      async render(event) {
        const text = await line(event);
        return { target: `stdout (${format})`, summary: text, payload: text };
      },
      async send(delivery) {
        try {
          out.write(`[${spec.name}] ${await line(delivery.event)}\n`);
          return success();
        } catch (err) {
          if (err instanceof TemplateError) return permanent('render', err.message);
          throw err;
        }
      },
    };
  },
};
