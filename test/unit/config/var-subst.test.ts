import { expect } from 'chai';
import { substituteVars } from '../../../src/config/var-subst.js';

describe('config/var-subst substituteVars', () => {
  it('replaces ${VAR} in nested string values, never in keys or non-strings', () => {
    const r = substituteVars({ a: 'x ${A} y', '${A}': 1, list: ['${B}', 2, true, null], deep: { b: '${B}${B}' } }, { A: 'alpha', B: 'beta' });
    expect(r.data).to.deep.equal({ a: 'x alpha y', '${A}': 1, list: ['beta', 2, true, null], deep: { b: 'betabeta' } });
    expect(r.secrets).to.have.members(['alpha', 'beta']);
    expect(r.problems).to.deep.equal([]);
  });

  it('$${ is a literal ${, and a substituted value is not substituted again', () => {
    const r = substituteVars({ s: '$${A} ${A}' }, { A: '${B}', B: 'no' });
    expect(r.data).to.deep.equal({ s: '${A} ${B}' });
  });

  it('reports each missing variable with its path, and an empty value is set but not a secret', () => {
    const r = substituteVars({ h: { x: '${MISSING} ${EMPTY}' }, l: ['${OTHER}'] }, { EMPTY: '' });
    expect(r.problems).to.deep.equal([
      { path: ['h', 'x'], reference: '${MISSING}', message: 'environment variable MISSING is not set' },
      { path: ['l', 0], reference: '${OTHER}', message: 'environment variable OTHER is not set' },
    ]);
    expect(r.secrets).to.deep.equal([]);
  });

  it('reports ${ that is not a variable reference', () => {
    const r = substituteVars({ s: 'a ${not valid} ${unclosed' }, {});
    expect(r.problems.map((p) => p.reference)).to.deep.equal(['${not valid}', '${unclosed']);
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "${A}"}}') as unknown;
    const r = substituteVars(data, { A: 'yes' });
    expect(Object.getPrototypeOf(r.data)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getOwnPropertyDescriptor(r.data, '__proto__')?.value).to.deep.equal({ polluted: 'yes' });
  });
});
