import type { CheckContext } from '../destination.js';
import { eventView } from '../../domain/event-view.js';
import { compileTemplate, renderTemplateSync, type TemplateFlavor } from '../../templates/engine.js';

export interface TemplateOption {
  /** The option holding a Liquid template, e.g. `subject`. */
  option: string;
  /** The output context it renders into, as the destination renders it. */
  flavor?: TemplateFlavor;
  /** Extra check of the rendered output (e.g. valid Block Kit JSON); a message or null. */
  validate?: (output: string) => string | null;
}

/**
 * Check time for every template option of a destination: it compiles, and it renders (and
 * validates) for each example event, so a broken template is refused with the rules file rather
 * than discovered by a dead delivery. One problem per option is enough to point at it.
 */
export function checkTemplates(options: Record<string, unknown>, templates: TemplateOption[], ctx: CheckContext): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const { option, flavor, validate } of templates) {
    const source = options[option];
    if (source === undefined || source === null) continue;
    const path = ctx.posOf([option]);
    if (typeof source !== 'string') {
      problems.push({ path, message: `${option} must be a template string` });
      continue;
    }
    let compiled;
    try {
      compiled = compileTemplate(source, flavor);
    } catch (err) {
      problems.push({ path, message: `${option}: ${(err as Error).message}` });
      continue;
    }
    for (const example of ctx.examples) {
      let message: string | null;
      try {
        // check() is synchronous: render with the same engine, synchronously.
        message = validate?.(renderTemplateSync(compiled, eventView(example))) ?? null;
      } catch (err) {
        message = (err as Error).message.split('\n')[0] ?? 'template failed to render';
      }
      if (message) {
        problems.push({ path, message: `${option}: ${message} (for the "${example.type}" example event)` });
        break;
      }
    }
  }
  return problems;
}
