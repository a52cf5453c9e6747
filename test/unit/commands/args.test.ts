import { expect } from 'chai';
import { intOption, parseCommandArgs } from '../../../src/commands/args.js';
import { UsageError } from '../../../src/commands/command-errors.js';

const spec = { options: { status: { type: 'string' as const }, json: { type: 'boolean' as const } }, positionals: { max: 1, what: 'one file' } };

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(UsageError);
    return (err as Error).message;
  }
  return expect.fail('expected a UsageError');
}

describe('commands/args: strict command lines', () => {
  it('reads options, inline values and positionals', () => {
    expect(parseCommandArgs(['a.yaml', '--status', 'dead', '--json'], spec)).to.deep.equal({ values: { status: 'dead', json: true }, positionals: ['a.yaml'] });
    expect(parseCommandArgs(['--status=dead', '--', '--not-an-option'], spec)).to.deep.equal({ values: { status: 'dead' }, positionals: ['--not-an-option'] });
  });

  it('refuses unknown options with "did you mean", missing values, values for flags, extra arguments', () => {
    expect(usageError(() => parseCommandArgs(['--stauts', 'dead'], spec))).to.equal('unknown option --stauts (did you mean "--status"?)');
    expect(usageError(() => parseCommandArgs(['-x'], spec))).to.equal('unknown option -x');
    expect(usageError(() => parseCommandArgs(['--status'], spec))).to.equal('--status needs a value');
    expect(usageError(() => parseCommandArgs(['--status', '--json'], spec))).to.equal('--status needs a value');
    expect(usageError(() => parseCommandArgs(['--json=yes'], spec))).to.equal('--json takes no value');
    expect(usageError(() => parseCommandArgs(['a', 'b'], spec))).to.equal('unexpected argument "b": this command takes at most 1 (one file)');
    expect(usageError(() => parseCommandArgs(['a'], { options: {} }))).to.equal('unexpected argument "a": this command takes options only');
  });

  it('intOption: a whole number in range, or a usage error naming the flag and the value', () => {
    expect(intOption('--limit', undefined, 20, 1, 500)).to.equal(20);
    expect(intOption('--limit', '500', 20, 1, 500)).to.equal(500);
    for (const bad of ['abc', '0', '501', '1.5', '-1', '']) expect(usageError(() => intOption('--limit', bad, 20, 1, 500))).to.equal(`--limit must be a whole number from 1 to 500, not "${bad}"`);
  });
});
