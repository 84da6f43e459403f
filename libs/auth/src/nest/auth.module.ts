import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeyRecord, ApiKeySchema } from '../api-key.schema';
import { ApiKeyStore } from '../api-key-store';
import { Authenticator } from '../authenticator';
import { createTokenVerifier, TokenVerifier, TokenVerifierConfig } from '../token-verifier';
import { AccessRuleCheck } from './access-rule-check';
import { AuthGuard } from './auth.guard';

/** Injection token of the app's TokenVerifier. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export interface AuthModuleOptions {
  /** How bearer tokens are verified; see tokenConfigFrom(env). */
  tokens: TokenVerifierConfig;
}

export interface AuthModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: unknown[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- receives whatever `inject` lists, as in Nest's own types
  useFactory: (...args: any[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

const OPTIONS = Symbol('AUTH_OPTIONS');

/** The `api_keys` collection and its store, for the app and for command-line tools. Needs the app's mongoose connection. */
@Module({
  imports: [MongooseModule.forFeature([{ name: ApiKeyRecord.name, schema: ApiKeySchema }])],
  providers: [ApiKeyStore],
  exports: [ApiKeyStore],
})
export class ApiKeysModule {}

/**
 * Authentication and authorization for an HTTP app: registers the global AuthGuard (bearer JWT or X-Api-Key;
 * @Public / @Roles on every endpoint, checked at start-up). Needs the app's MongooseModule.forRoot connection
 * for the API keys.
 */
@Module({})
export class AuthModule {
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [...(options.imports ?? []), DiscoveryModule, ApiKeysModule],
      providers: [
        { provide: OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
        {
          provide: TOKEN_VERIFIER,
          inject: [OPTIONS],
          useFactory: (config: AuthModuleOptions): TokenVerifier => createTokenVerifier(config.tokens),
        },
        {
          provide: Authenticator,
          inject: [TOKEN_VERIFIER, ApiKeyStore],
          useFactory: (tokens: TokenVerifier, apiKeys: ApiKeyStore) => new Authenticator(tokens, apiKeys),
        },
        AccessRuleCheck,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_VERIFIER, Authenticator, ApiKeysModule],
    };
  }
}
