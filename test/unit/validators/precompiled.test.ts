import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { eventValidatorSetups, rulesValidatorSetup } from '../../../src/validators/ajv-setups.js';
import { compileSetup, sourceHash } from '../../../src/validators/precompiled.js';

const GENERATED = fileURLToPath(new URL('../../../dist/validators/generated.cjs', import.meta.url));
const fixtures = (dir: string, ext: RegExp): string[] => {
  const base = fileURLToPath(new URL(`../../fixtures/${dir}/`, import.meta.url));
  return readdirSync(base).filter((f) => ext.test(f)).map((f) => readFileSync(base + f, 'utf8'));
};

/** Good bodies and bad ones: every fixture, each with its fields removed, emptied and retyped. */
function eventInputs(): unknown[] {
  const bodies = fixtures('enablex', /\.json$/).map((t) => JSON.parse(t) as Record<string, unknown>);
  const out: unknown[] = [...bodies, {}, [], 'x', null];
  for (const b of bodies) {
    for (const k of Object.keys(b)) {
      const { [k]: _gone, ...rest } = b;
      out.push(rest, { ...b, [k]: '' }, { ...b, [k]: 12 }, { ...b, [k]: [1, 'two'] });
    }
  }
  return out;
}

function rulesInputs(): unknown[] {
  return fixtures('rules', /\.ya?ml$/).flatMap((t) => {
    try {
      return [parseYaml(t, { logLevel: 'silent' }) as unknown];
    } catch {
      return [];
    }
  });
}

const outcome = (fn: ValidateFunction, data: unknown): unknown => {
  const valid = fn(structuredClone(data));
  return { valid, errors: JSON.parse(JSON.stringify(fn.errors ?? null)) as unknown };
};

describe('validators precompiled by the build', () => {
  it('exist after the build, one per schema, each made from the schema files as they are now', () => {
    expect(existsSync(GENERATED), 'npm run build writes dist/validators/generated.cjs').to.equal(true);
    const { validators, hashes } = createRequire(import.meta.url)(GENERATED) as { validators: Record<string, ValidateFunction>; hashes: Record<string, string> };
    for (const setup of [...eventValidatorSetups(), rulesValidatorSetup()]) {
      expect(validators[setup.name], setup.name).to.be.a('function');
      expect(hashes[setup.name], `${setup.name}: rebuild after changing schemas/`).to.equal(sourceHash(setup));
    }
  });

  it('give the same answers and the same errors as the schemas compiled at run time', () => {
    const { validators } = createRequire(import.meta.url)(GENERATED) as { validators: Record<string, ValidateFunction> };
    let compared = 0;
    for (const setup of eventValidatorSetups()) {
      const live = compileSetup(setup);
      for (const input of eventInputs()) {
        expect(outcome(validators[setup.name]!, input), `${setup.name} on ${JSON.stringify(input).slice(0, 80)}`).to.deep.equal(outcome(live, input));
        compared++;
      }
    }
    const rules = rulesValidatorSetup();
    const live = compileSetup(rules);
    for (const input of rulesInputs()) expect(outcome(validators['rules']!, input)).to.deep.equal(outcome(live, input));
    expect(compared).to.be.greaterThan(100);
  });

  it('are written by a build step that prints nothing: `npm start` builds first, and its standard output is the JSON log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'enx-validators-'));
    try {
      const out = join(dir, 'generated.cjs');
      const step = fileURLToPath(new URL('../../../dist/validators/compile-validators.js', import.meta.url));
      const r = spawnSync(process.execPath, [step, out], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.equal('');
      expect(readFileSync(out, 'utf8')).to.equal(readFileSync(GENERATED, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
