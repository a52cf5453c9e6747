import { Liquid, type Template } from 'liquidjs';
import { TemplateError } from '../errors.js';
import { registerFilters } from './filters.js';

/**
 * The one LiquidJS engine every destination kind renders with. Admin-edited text: no file system
 * access, no JavaScript, bounded output. Unknown fields are caught at check time
 * (`unknownFields`); at render time a field an event lacks renders empty.
 */
export const liquid = new Liquid({
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  // Limits keep a runaway template from taking the worker down.
  renderLimit: 2_000,
  memoryLimit: 10_000_000,
  parseLimit: 100_000,
  // An empty in-memory file system: without it `{% include "package.json" %}` reads files
  // from the working directory (the database, an .env) into a message.
  templates: {},
});
// No partials exist, so the tags that load them are refused when a template is checked.
for (const tag of ['include', 'render', 'layout', 'block']) delete (liquid.tags as Record<string, unknown>)[tag];
registerFilters(liquid);

export interface CompiledTemplate {
  source: string;
  templates: Template[];
}

export function compileTemplate(source: string): CompiledTemplate {
  try {
    return { source, templates: liquid.parse(source) };
  } catch (err) {
    throw new TemplateError(`template does not compile: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function renderTemplate(tpl: CompiledTemplate, view: Record<string, unknown>): Promise<string> {
  try {
    return String(await liquid.render(tpl.templates, view));
  } catch (err) {
    throw new TemplateError(`template failed to render: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Top-level variables a template reads that are not in `known` (typos such as `romo_id`). */
export function unknownFields(tpl: CompiledTemplate, known: ReadonlySet<string>): string[] {
  const used = liquid.globalVariablesSync(tpl.templates);
  return used.filter((name) => !known.has(name));
}
