import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsObject,
  IsOptional,
  IsUrl,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';

/** A signed HTTP POST per notification (HMAC-SHA256, see the README for the shape and the headers). */
export class WebhookChannel {
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http(s) URL' },
  )
  url!: string;
}

/** An email per notification, over the SMTP server the escalation service is configured with. */
export class EmailChannel {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true, message: 'each address in to must be an email address' })
  to!: string[];
}

/** One way of reaching people: a webhook or an email list (exactly one, checked by validatePolicy). */
export class NotificationChannel {
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookChannel)
  webhook?: WebhookChannel;

  @IsOptional()
  @ValidateNested()
  @Type(() => EmailChannel)
  email?: EmailChannel;
}

/**
 * Who is told about review tasks, and how: named channels, and for each review role the channels that reach
 * its members (`'*'` for every review). Secrets (the webhook signing key, SMTP credentials) are configuration
 * of the escalation service, never part of a policy.
 */
export class NotificationPolicy {
  /** Channel name → the channel. Validated entry by entry (see validatePolicy). */
  @IsObject()
  channels!: Record<string, NotificationChannel>;

  /** Review role (or `*`) → names of channels. Validated entry by entry (see validatePolicy). */
  @IsObject()
  roles!: Record<string, string[]>;
}

export interface NamedChannel {
  name: string;
  channel: NotificationChannel;
}

/** The channels that reach any of `roles`, each once, in the order the policy lists them. */
export function channelsFor(
  policy: NotificationPolicy | undefined,
  roles: readonly string[],
): NamedChannel[] {
  if (!policy) return [];
  const names = new Set<string>();
  for (const role of [...roles, '*']) {
    if (!Object.prototype.hasOwnProperty.call(policy.roles, role)) continue;
    for (const name of policy.roles[role]) names.add(name);
  }
  return [...names]
    .filter((name) => Object.prototype.hasOwnProperty.call(policy.channels, name))
    .map((name) => ({ name, channel: policy.channels[name] }));
}
