import type { DestinationSpec } from '../../config/rules-types.js';
import { eventView } from '../../domain/event-view.js';
import { relayEventFields } from '../../relay-events/catalog.js';
import { liquid, unknownFields } from '../../templates/engine.js';
import type { CheckContext } from '../destination.js';
import { parseHttpOptions } from './http-options.js';
import { parseJsonBody } from './render-body.js';

/** Names a template may read beyond the example events' own fields. */
const DERIVED = ['id', 'type', 'app_id', 'room_id', 'conf_num', 'trans_date', 'received_at', 'occurred_at', 'files', 'file_size_bytes', 'expires_at'];

/**
 * The semantic checks of an `http:` destination: options valid, the secret usable, and a body
 * template that compiles, reads only known fields, and yields JSON for every example event.
 * DestinationKind.check is synchronous: templates render here with liquid's synchronous renderer
 * (the relay's filters are all synchronous), the worker renders the same template asynchronously.
 */
export function checkHttp(spec: DestinationSpec, ctx: CheckContext): { path?: string; message: string }[] {
  const { options, problems } = parseHttpOptions(spec.options);
  const out = problems.map((p) => ({ path: ctx.posOf(p.option), message: `${spec.name}: ${p.message}` }));
  if (!options || options.body.kind !== 'template') return out;

  const known = new Set([...DERIVED, ...relayEventFields()]);
  for (const e of ctx.examples) for (const k of Object.keys(eventView(e))) known.add(k);
  const unknown = unknownFields(options.body.template, known);
  if (unknown.length > 0) {
    out.push({ path: ctx.posOf(['body']), message: `${spec.name}: body template uses unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` });
  }
  for (const example of ctx.examples) {
    let problem: string | null = null;
    try {
      parseJsonBody(String(liquid.renderSync(options.body.template.templates, eventView(example))));
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
