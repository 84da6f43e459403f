import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsISO4217CurrencyCode,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, ID_RULE, SLUG_PATTERN, SLUG_RULE } from '../envelope';
import { Limits } from '../limits';

export enum Reversibility {
  Reversible = 'reversible',
  PartiallyReversible = 'partially-reversible',
  Irreversible = 'irreversible',
}

export enum PartyKind {
  Agent = 'agent',
  User = 'user',
  Service = 'service',
}

/** The AI agent that proposes the action, and the model version behind it (drift is tracked per version). */
export class AgentRef {
  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id!: string;

  @Matches(ID_PATTERN, { message: `modelId ${ID_RULE}` })
  modelId!: string;

  @IsString()
  @Length(1, 64)
  modelVersion!: string;

  /** The person accountable for the agent: never an approver of its proposals. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: `ownerId ${ID_RULE}` })
  ownerId?: string;
}

/**
 * Money that would move if the action runs, in major units (12.5 = twelve and a half dollars). Bounded so that
 * every accepted value, to 4 decimal places, is exact as a JavaScript number (1e11 × 1e4 < 2^53).
 */
export class MonetaryAmount {
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1e11)
  value!: number;

  @IsISO4217CurrencyCode()
  currency!: string;
}

/** Who asked for the action: an agent acting on its own, a person through an agent, or an upstream service. */
export class PartyRef {
  @IsEnum(PartyKind)
  kind!: PartyKind;

  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id!: string;
}

/** What the action is done to: a customer, an account, an invoice, a site, a network element... */
export class SubjectRef {
  @Matches(SLUG_PATTERN, { message: `kind ${SLUG_RULE}` })
  kind!: string;

  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id!: string;
}

export class ContextLink {
  @IsString()
  @Length(1, Limits.maxShortTextLength)
  label!: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @Length(1, 2048)
  url!: string;
}

/** What a reviewer needs to decide without leaving the console. */
export class ReviewContext {
  @IsString()
  @Length(1, Limits.maxSummaryLength)
  summary!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Limits.maxLinks)
  @ValidateNested({ each: true })
  @Type(() => ContextLink)
  links?: ContextLink[];

  @IsOptional()
  @Matches(ID_PATTERN, { message: `conversationId ${ID_RULE}` })
  conversationId?: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `traceId ${ID_RULE}` })
  traceId?: string;
}

/** An AI agent proposes an action; the platform decides whether it runs on its own or waits for people. */
export class DecisionProposed {
  @IsObject()
  @ValidateNested()
  @Type(() => AgentRef)
  agent!: AgentRef;

  /** The business function whose policy applies, e.g. telecom-billing or finance-ap. */
  @Matches(SLUG_PATTERN, { message: `businessFunction ${SLUG_RULE}` })
  businessFunction!: string;

  /** e.g. refund, invoice-posting, config-change, account-closure, contract-amendment. */
  @Matches(SLUG_PATTERN, { message: `actionType ${SLUG_RULE}` })
  actionType!: string;

  /** What the executor needs to carry the action out; opaque to the platform, shown to reviewers. */
  @IsObject()
  parameters!: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => MonetaryAmount)
  amount?: MonetaryAmount;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  confidence!: number;

  @IsEnum(Reversibility)
  reversibility!: Reversibility;

  @IsObject()
  @ValidateNested()
  @Type(() => PartyRef)
  requester!: PartyRef;

  @IsOptional()
  @ValidateNested()
  @Type(() => SubjectRef)
  subject?: SubjectRef;

  @IsObject()
  @ValidateNested()
  @Type(() => ReviewContext)
  context!: ReviewContext;
}
