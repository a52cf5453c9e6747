import type { DestinationSpec } from '../../config/rules-types.js';
import { eventView } from '../../domain/event-view.js';
import { renderTemplateSync } from '../../templates/engine.js';
import type { CheckContext } from '../destination.js';
import { parseHttpOptions } from './http-options.js';
import { parseJsonBody } from './render-body.js';

/**
 * The semantic checks of an `http:` destination: options valid, the secret usable, and a body
 * template that compiles and yields JSON for every example event. (Fields a template reads that
 * no event is known to have are warned about by the rules checks, for every kind alike.)
 * DestinationKind.check is synchronous: templates render here synchronously, the worker renders
 * the same template asynchronously.
 */
export function checkHttp(spec: DestinationSpec, ctx: CheckContext): { path?: string; message: string }[] {
  const { options, problems } = parseHttpOptions(spec.options);
  const out = problems.map((p) => ({ path: ctx.posOf(p.option), message: `${spec.name}: ${p.message}` }));
  if (!options || options.body.kind !== 'template') return out;
  for (const example of ctx.examples) {
    let problem: string | null = null;
    try {
      parseJsonBody(renderTemplateSync(options.body.template, eventView(example)));
    } catch (err) {
      problem = (err as Error).message.split('\n')[0] ?? 'fails';
    }
    if (problem) {
      out.push({ path: ctx.posOf(['body']), message: `${spec.name}: body template, for a "${example.type}" event: ${problem}` });
      break;
    }
  }
  return out;
}
