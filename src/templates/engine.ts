import { Liquid, type Template } from 'liquidjs';
import { TemplateError } from '../errors.js';
import { registerFilters } from './filters.js';
import { assembleJson, SLOT_CHARS } from './json-slots.js';
import { escapeOutputs, type OutputContext } from './output-escape.js';

/**
 * The LiquidJS engines every destination kind renders with. Admin-edited text: no file system
 * access, no JavaScript, bounded output. Unknown fields are caught at check time
 * (`unknownFields`); at render time a field an event lacks renders empty.
 */
function createEngine(): Liquid {
  const engine = new Liquid({
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
  for (const tag of ['include', 'render', 'layout', 'block']) delete (engine.tags as Record<string, unknown>)[tag];
  registerFilters(engine);
  return engine;
}

/** Where a template's output goes, and so how its values are escaped (see output-escape.ts). */
export interface TemplateFlavor extends OutputContext {
  readonly name: string;
  readonly engine: Liquid;
}

/** A flavor per output context; each destination kind defines those it renders into. */
export function defineFlavor(name: string, out: OutputContext): TemplateFlavor {
  const engine = createEngine();
  escapeOutputs(engine, out);
  return { name, ...out, engine };
}

/** Values as they are: for output that is not markup (the log destination's lines). */
export const PLAIN: TemplateFlavor = { name: 'plain', engine: createEngine() };

export interface CompiledTemplate {
  source: string;
  templates: Template[];
  flavor: TemplateFlavor;
}

export function compileTemplate(source: string, flavor: TemplateFlavor = PLAIN): CompiledTemplate {
  if (flavor.json && SLOT_CHARS.test(source)) throw new TemplateError('template does not compile: it contains control characters (U+0001 to U+0004)');
  try {
    return { source, templates: flavor.engine.parse(source), flavor };
  } catch (err) {
    const first = (err as Error).message.split('\n')[0] ?? '';
    const why = /undefined filter: raw\b/.test(first) ? `the raw filter is not available in ${flavor.name} templates: event values are always escaped there` : first;
    throw new TemplateError(`template does not compile: ${why}`);
  }
}

export async function renderTemplate(tpl: CompiledTemplate, view: Record<string, unknown>): Promise<string> {
  let out: string;
  try {
    out = String(await tpl.flavor.engine.render(tpl.templates, view));
  } catch (err) {
    throw renderFailure(err);
  }
  return finish(tpl, out);
}

/** The same, synchronously: rules checks render each template for the example events (the relay's filters are synchronous). */
export function renderTemplateSync(tpl: CompiledTemplate, view: Record<string, unknown>): string {
  let out: string;
  try {
    out = String(tpl.flavor.engine.renderSync(tpl.templates, view));
  } catch (err) {
    throw renderFailure(err);
  }
  return finish(tpl, out);
}

function finish(tpl: CompiledTemplate, out: string): string {
  return tpl.flavor.json ? assembleJson(out) : out;
}

function renderFailure(err: unknown): TemplateError {
  return new TemplateError(`template failed to render: ${(err as Error).message.split('\n')[0]}`);
}

/** Top-level variables a template reads that are not in `known` (typos such as `romo_id`). */
export function unknownFields(tpl: CompiledTemplate, known: ReadonlySet<string>): string[] {
  const used = tpl.flavor.engine.globalVariablesSync(tpl.templates);
  return used.filter((name) => !known.has(name));
}
