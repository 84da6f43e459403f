/**
 * The gateway's credentials from the command line: `npm run gateway -- <command>` (see USAGE). Reads
 * MONGODB_URI and AUTH_* like the service. Exits 1 on failure, 2 on a usage error.
 */
import 'reflect-metadata';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { INestApplicationContext, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ApiKeysModule, ApiKeyStore, issueToken } from '@oversight/auth';
import { ID_PATTERN, ID_RULE } from '@oversight/contracts';
import { storeConnectionOptions } from '@oversight/persistence';
import { environmentModule, validateEnvironment } from '@oversight/service-config';
import { GatewayEnvironment } from '../config/gateway-environment';

const USAGE = `usage:
  gateway api-key create --name <system> --roles <role,...> [--by <who>]   create a key for an upstream system; printed once
  gateway api-key list                                                    every key: id, name, roles, created, revoked
  gateway api-key revoke <keyId> [--by <who>]                             revoke a key; it gets 401 from then on
  gateway token --subject <id> --roles <role,...> [--kind user|service] [--name <name>] [--ttl 8h]
                                                                          sign a token with AUTH_JWT_SECRET (embedded setup)`;

@Module({
  imports: [
    environmentModule(GatewayEnvironment),
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnvironment, true>) => ({
        uri: config.get('MONGODB_URI', { infer: true }),
        ...storeConnectionOptions('gateway-cli', config.get('STORE_COMMAND_LOG', { infer: true })),
      }),
    }),
    ApiKeysModule,
  ],
})
class GatewayCliModule {}

class UsageError extends Error {}

const roleList = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);

function who(by: string | undefined): string {
  const name = by?.trim() || os.userInfo().username;
  if (!ID_PATTERN.test(name)) throw new UsageError(`--by ${ID_RULE}`);
  return name;
}

async function run(argv: string[], keys: () => Promise<ApiKeyStore>): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      roles: { type: 'string' },
      by: { type: 'string' },
      subject: { type: 'string' },
      kind: { type: 'string', default: 'user' },
      ttl: { type: 'string', default: '8h' },
    },
  });
  const [command, sub, argument] = positionals;
  if (command === 'token') return token(values);
  if (command !== 'api-key')
    throw new UsageError(command ? `unknown command ${command}` : 'no command given');

  switch (sub) {
    case 'create': {
      if (!values.name) throw new UsageError('api-key create needs --name <system>');
      const roles = roleList(values.roles);
      if (!roles.length) throw new UsageError('api-key create needs --roles, e.g. --roles upstream');
      const { key, record } = await (
        await keys()
      ).create({ name: values.name, roles, createdBy: who(values.by) });
      console.log(key);
      console.error(
        `created API key ${record._id} for ${record.name} (roles ${record.roles.join(', ')}); ` +
          'this is the only time the key is shown: send it as X-Api-Key',
      );
      return 0;
    }
    case 'list': {
      const all = await (await keys()).list();
      if (all.length === 0) console.log('no API keys');
      for (const key of all) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()} by ${key.revokedBy}` : 'active';
        console.log(
          `${key._id}  ${key.name}  roles ${key.roles.join(',')}  created ${key.createdAt.toISOString()} by ${key.createdBy}  ${state}`,
        );
      }
      return 0;
    }
    case 'revoke': {
      if (!argument) throw new UsageError('api-key revoke needs a keyId (see api-key list)');
      const outcome = await (await keys()).revoke(argument, who(values.by));
      if (outcome === 'unknown') {
        console.error(`gateway: no API key ${argument}`);
        return 1;
      }
      console.log(
        outcome === 'revoked' ? `revoked API key ${argument}` : `API key ${argument} was already revoked`,
      );
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown api-key command ${sub}` : 'api-key needs create, list or revoke');
  }
}

async function token(values: {
  subject?: string;
  roles?: string;
  kind?: string;
  name?: string;
  ttl?: string;
}) {
  const env = validateEnvironment(GatewayEnvironment)(process.env);
  if (env.AUTH_JWKS_URL) {
    throw new UsageError('AUTH_JWKS_URL is set: tokens come from your identity provider, not from here');
  }
  if (!values.subject) throw new UsageError('token needs --subject <id>');
  if (values.kind !== 'user' && values.kind !== 'service') throw new UsageError('--kind is user or service');
  const roles = roleList(values.roles);
  if (!roles.length) throw new UsageError('token needs --roles, e.g. --roles admin');
  console.log(
    await issueToken(
      { secret: env.AUTH_JWT_SECRET, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
      { subject: values.subject, roles, kind: values.kind, ...(values.name ? { name: values.name } : {}) },
      values.ttl ?? '8h',
    ),
  );
  return 0;
}

async function main(): Promise<number> {
  let app: INestApplicationContext | undefined;
  try {
    return await run(process.argv.slice(2), async () => {
      app = await NestFactory.createApplicationContext(GatewayCliModule, { logger: ['error'] });
      return app.get(ApiKeyStore);
    });
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`gateway: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  } finally {
    await app?.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(`gateway: ${error.message}`);
    process.exitCode = 1;
  },
);
