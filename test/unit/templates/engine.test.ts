import { expect } from 'chai';
import { compileTemplate, renderTemplate, unknownFields } from '../../../src/templates/engine.js';
import { rulesKnownFields } from '../../../src/config/rules-fields.js';
import { TemplateError } from '../../../src/errors.js';
import { EXAMPLES, exampleView } from '../routing/example-events.js';

describe('templates/engine', () => {
  const known = rulesKnownFields(EXAMPLES);

  it('unknownFields names top-level fields outside the known set, once each', () => {
    const tpl = compileTemplate('{{ romo_id }} {{ room_id }} {{ romo_id | upcase }} {% if stagee %}x{% endif %}');
    expect(unknownFields(tpl, known)).to.have.members(['romo_id', 'stagee']);
    expect(unknownFields(tpl, known)).to.have.length(2);
  });

  it('unknownFields ignores loop variables, assigned names and nested properties', () => {
    const tpl = compileTemplate(
      '{% for f in files %}{{ f }}{{ forloop.index }}{% endfor %}{% assign n = files | size %}{{ n }} {{ destination.name }} {{ destination.anything }}',
    );
    expect(unknownFields(tpl, known)).to.deep.equal([]);
  });

  it('knows every documented and derived field of the example events', () => {
    for (const f of ['type', 'app_id', 'room_id', 'conf_num', 'trans_date', 'recording', 'stage', 'file_size', 'destination', 'files', 'id', 'received_at', 'occurred_at', 'file_size_bytes', 'expires_at']) {
      expect(known.has(f), f).to.equal(true);
    }
    expect(rulesKnownFields([]).has('romo_id')).to.equal(false);
  });

  it('renders the event view; a field the event lacks renders empty', async () => {
    const view = exampleView('transcoded');
    const out = await renderTemplate(compileTemplate('{{ type }} {{ room_id }} {{ file_size_bytes | bytes }} [{{ destination.name }}] {{ expires_at | date: "utc" }}'), view);
    expect(out).to.equal('transcoded 6750a8f1c2d3e4f5a6b7c8d9 46.0 MiB [] 2024-11-30 09:53 UTC');
  });

  it('cannot reach prototypes', async () => {
    const view = exampleView('roomdrop');
    expect(await renderTemplate(compileTemplate('[{{ type.constructor }}{{ constructor }}{{ __proto__ }}]'), view)).to.equal('[]');
  });

  it('cannot read files: the tags that load partials do not exist', () => {
    for (const t of ['{% include "package.json" %}', '{% render "package.json" %}', '{% layout "package.json" %}x']) {
      expect(() => compileTemplate(t), t).to.throw(TemplateError, /template does not compile/);
    }
  });

  it('a template that does not compile throws TemplateError', () => {
    expect(() => compileTemplate('{% if %}')).to.throw(TemplateError);
    expect(() => compileTemplate('{{ a ')).to.throw(TemplateError, /template does not compile/);
  });
});
