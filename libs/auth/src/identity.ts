/**
 * The platform's own roles, in one place. A token's `roles` claim (or an API key's roles) holds these and the
 * policy's review roles (`legal-counsel`, `billing-specialist`...) in one array: endpoints check platform
 * roles, review quorums check review roles.
 */
export const PLATFORM_ROLES = ['reviewer', 'supervisor', 'admin', 'sre', 'auditor', 'upstream'] as const;

export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export function isPlatformRole(role: string): role is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(role);
}

/** Who is calling, as established from a verified token or a stored API key; never from a request body. */
export interface Identity {
  /** Stable id: the token's `sub`, or an API key's name. */
  subject: string;
  /** Platform roles and review roles together. */
  roles: string[];
  /** A person (token from the identity provider) or an upstream system (API key, or a service token). */
  kind: 'user' | 'service';
  /** For logs and screens. */
  name?: string;
}

/** Whether the identity holds at least one of the roles. */
export function hasAnyRole(identity: Identity, roles: readonly string[]): boolean {
  return roles.some((role) => identity.roles.includes(role));
}
