import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  InvalidSuiteError,
  loadSuiteFile,
  parseSuite,
  REFERENCE_SUITE_FILE,
  validateSuite,
} from './regression-suite';

const referenceText = fs.readFileSync(REFERENCE_SUITE_FILE, 'utf8');

/** The reference suite as plain data, with one change applied. */
function suiteWith(mutate: (suite: Record<string, any>) => void): Record<string, any> {
  const suite = parse(referenceText);
  mutate(suite);
  return suite;
}

describe('regression suite validation', () => {
  it('loads the reference suite with every proposal complete and no base left', () => {
    const suite = loadSuiteFile(REFERENCE_SUITE_FILE);
    expect(suite.name).toBe('reference');
    expect(suite.cases.length).toBeGreaterThanOrEqual(10);
    expect(suite).not.toHaveProperty('baseProposal');
    expect(suite.cases[0].proposal).toMatchObject({
      agent: { id: 'ops-assistant' },
      businessFunction: 'telecom-billing',
      confidence: 0.97,
    });
  });

  it('accepts a suite without a base when each proposal is complete', () => {
    const suite = suiteWith((s) => {
      for (const c of s.cases) c.proposal = { ...s.baseProposal, ...c.proposal };
      delete s.baseProposal;
    });
    expect(validateSuite(suite)).toMatchObject({ ok: true });
  });

  it.each<[string, (s: any) => void, string]>([
    [
      'a name that is not a slug',
      (s) => (s.name = 'Reference Suite'),
      'name: name must be lower-case kebab-case, 1-64 characters, starting with a letter',
    ],
    ['no cases', (s) => (s.cases = []), 'cases: cases must contain at least 1 elements'],
    ['a case without a name', (s) => delete s.cases[1].name, 'cases.1.name: name must be a string'],
    [
      'an unknown route',
      (s) => (s.cases[0].expect.route = 'maybe'),
      'cases.0.expect.route: route must be one of the following values: auto, review, block',
    ],
    [
      'an unknown tier',
      (s) => (s.cases[2].expect.tier = 'severe'),
      'cases.2.expect.tier: tier must be one of the following values: low, medium, high, critical',
    ],
    ['no expectation', (s) => delete s.cases[0].expect, 'cases.0.expect: expect must be an object'],
    [
      'a proposal breaking the DecisionProposed contract',
      (s) => (s.cases[3].proposal.confidence = 7),
      'cases.3.proposal.confidence: confidence must not be greater than 1',
    ],
    [
      'a proposal missing what the base would give',
      (s) => delete s.baseProposal,
      'cases.0.proposal.agent: agent must be an object',
    ],
    [
      'two cases with one name',
      (s) => (s.cases[4].name = s.cases[0].name),
      'cases.4.name: "refund $12 high confidence" names another case too',
    ],
    ['an unknown field', (s) => (s.owner = 'risk'), 'owner: property owner should not exist'],
  ])('rejects %s, naming the field', (_name, mutate, problem) => {
    const check = validateSuite(suiteWith(mutate));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors).toContain(problem);
  });

  it('says where a file is not YAML', () => {
    expect(parseSuite('cases: [')).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^\(document\): /)],
    });
  });

  it('names the file and every problem when loading an invalid suite', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'suite-')), 'bad.yaml');
    fs.writeFileSync(file, referenceText.replace('name: reference', 'name: Bad Name'));
    expect(() => loadSuiteFile(file)).toThrow(InvalidSuiteError);
    expect(() => loadSuiteFile(file)).toThrow(`regression suite ${file} is not valid:\n  name: name must be`);
  });
});
