import fs from 'node:fs';
import path from 'node:path';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { parse } from 'yaml';
import { DecisionProposed, SLUG_PATTERN, SLUG_RULE, validateAs } from '@oversight/contracts';
import { Route, ROUTES, Tier, TIERS } from './policy-document';

/** Most cases one suite may hold: every case is scored on each publish, and a suite travels in one request. */
export const MAX_SUITE_CASES = 500;

/** The outcome a case must keep: the route and the risk tier that scoring and routing give it. */
export class ExpectedOutcome {
  @IsIn(ROUTES)
  route!: Route;

  @IsIn(TIERS)
  tier!: Tier;
}

/** One decision and the outcome the current policy gives it. */
export class SuiteCase {
  @IsString()
  @Length(1, 200)
  name!: string;

  /** A DecisionProposed payload, checked against the contract once laid over the suite's baseProposal. */
  @IsObject()
  proposal!: DecisionProposed;

  @IsObject()
  @ValidateNested()
  @Type(() => ExpectedOutcome)
  expect!: ExpectedOutcome;
}

/**
 * A saved set of decisions with the route and tier each must keep. Before a policy version is published the
 * suite runs against it; a case whose outcome changes stops the publish until a person confirms.
 */
export class RegressionSuite {
  @Matches(SLUG_PATTERN, { message: `name ${SLUG_RULE}` })
  name!: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  description?: string;

  /**
   * Fields every case's proposal starts from (agent, requester, context…), so a case names only what it is
   * about. Input only: a validated suite carries each case's proposal in full and no base.
   */
  @IsOptional()
  @IsObject()
  baseProposal?: Partial<DecisionProposed>;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SUITE_CASES)
  @ValidateNested({ each: true })
  @Type(() => SuiteCase)
  cases!: SuiteCase[];
}

export type SuiteCheck = { ok: true; value: RegressionSuite } | { ok: false; errors: string[] };

/**
 * Checks a suite: its fields, every case's proposal (over the base) against the DecisionProposed contract, and
 * that case names are unique (a diff names its cases). Returns every problem found, each with its path.
 */
export function validateSuite(raw: unknown): SuiteCheck {
  const top = validateAs(RegressionSuite, raw);
  if (!top.ok) return { ok: false, errors: top.errors };
  const suite = top.value;
  const errors: string[] = [];
  const seen = new Set<string>();
  const cases = suite.cases.map((suiteCase, i) => {
    if (seen.has(suiteCase.name)) errors.push(`cases.${i}.name: "${suiteCase.name}" names another case too`);
    seen.add(suiteCase.name);
    const proposal = validateAs(
      DecisionProposed,
      { ...(suite.baseProposal ?? {}), ...suiteCase.proposal },
      `cases.${i}.proposal`,
    );
    if (!proposal.ok) errors.push(...proposal.errors);
    return proposal.ok
      ? Object.assign(new SuiteCase(), { ...suiteCase, proposal: proposal.value })
      : suiteCase;
  });
  if (errors.length) return { ok: false, errors };
  const value = Object.assign(new RegressionSuite(), { ...suite, cases });
  delete value.baseProposal;
  return { ok: true, value };
}

/** Parses a suite written in YAML (or JSON) and validates it; never throws. */
export function parseSuite(text: string): SuiteCheck {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    return { ok: false, errors: [`(document): ${(error as Error).message.split('\n')[0]}`] };
  }
  return validateSuite(raw);
}

export class InvalidSuiteError extends Error {
  constructor(
    readonly source: string,
    readonly errors: string[],
  ) {
    super(`regression suite ${source} is not valid:\n  ${errors.join('\n  ')}`);
  }
}

/** Reads and validates a suite file; throws with every problem listed. */
export function loadSuiteFile(file: string): RegressionSuite {
  const check = parseSuite(fs.readFileSync(file, 'utf8'));
  if (!check.ok) throw new InvalidSuiteError(file, check.errors);
  return check.value;
}

/** The suite this repository ships for the reference policy's scenarios (libs/policy/suites/reference.yaml). */
export const REFERENCE_SUITE_FILE = path.resolve(__dirname, '../suites/reference.yaml');
