import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Model } from 'mongoose';
import { STORE_CONNECTION_OPTIONS } from '@oversight/persistence';
import { dropTestDatabase, testDatabaseUri } from '@oversight/testing';
import {
  ApiKeyRecord,
  ApiKeyStore,
  AuthModule,
  createTokenVerifier,
  CurrentIdentity,
  Identity,
  issueToken,
  parseApiKey,
  Public,
  Roles,
} from '../src';

const tokens = {
  secret: 'an-e2e-secret-that-is-long-enough-for-hs256',
  issuer: 'oversight',
  audience: 'oversight-api',
};

@Controller()
class ProbeController {
  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }

  @Get('whoami')
  @Roles('upstream', 'admin')
  whoami(@CurrentIdentity() identity: Identity) {
    return identity;
  }
}

@Controller()
class CarelessController {
  @Get('forgotten')
  forgotten() {
    return 'open?';
  }
}

function appModule(databaseUri: string, controllers: (new () => object)[]) {
  @Module({
    imports: [
      MongooseModule.forRoot(databaseUri, STORE_CONNECTION_OPTIONS),
      AuthModule.forRootAsync({ useFactory: () => ({ tokens }) }),
    ],
    controllers,
  })
  class TestAppModule {}
  return TestAppModule;
}

describe('auth on the real store, over HTTP', () => {
  const databaseUri = testDatabaseUri('auth-e2e');
  let app: INestApplication;
  let base: string;
  let keys: ApiKeyStore;

  beforeAll(async () => {
    app = await NestFactory.create(appModule(databaseUri, [ProbeController]), { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    keys = app.get(ApiKeyStore);
  });

  afterAll(async () => {
    await app?.close();
    await dropTestDatabase(databaseUri);
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, body: await response.json() };
  };

  it('stores an API key hashed, authenticates it, lists it without secrets, and refuses it once revoked', async () => {
    const { key, record } = await keys.create({ name: 'crm', roles: ['upstream'], createdBy: 'ops-1' });
    const stored = await app
      .get<Model<ApiKeyRecord>>(getModelToken(ApiKeyRecord.name))
      .findById(record._id)
      .lean<ApiKeyRecord>();
    expect(JSON.stringify(stored)).not.toContain(parseApiKey(key)!.secret);
    expect(stored!.secretHash).toMatch(/^[0-9a-f]{64}$/);

    expect(await get('/whoami', { 'X-Api-Key': key })).toEqual({
      status: 200,
      body: { subject: 'crm', roles: ['upstream'], kind: 'service', name: 'crm' },
    });
    expect((await keys.list()).find((k) => k._id === record._id)).toEqual({
      _id: record._id,
      name: 'crm',
      roles: ['upstream'],
      createdAt: expect.any(Date),
      createdBy: 'ops-1',
    });
    const forged = `${key.slice(0, -4)}AAAA`;
    expect(await get('/whoami', { 'X-Api-Key': forged })).toMatchObject({
      status: 401,
      body: { message: 'the API key is not known' },
    });

    expect(await keys.revoke(record._id, 'ops-2')).toBe('revoked');
    expect(await keys.revoke(record._id, 'ops-2')).toBe('already-revoked');
    expect(await keys.revoke('0000000000000000', 'ops-2')).toBe('unknown');
    expect(await get('/whoami', { 'X-Api-Key': key })).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'the API key has been revoked' },
    });
  });

  it('answers 401 naming the problem, 403 naming the roles, and lets public endpoints through', async () => {
    const reviewer = await issueToken(tokens, { subject: 'rex', roles: ['reviewer'], kind: 'user' }, 60);
    const admin = await issueToken(tokens, { subject: 'ada', roles: ['admin'], kind: 'user' }, 60);
    const expired = await issueToken(tokens, { subject: 'ada', roles: ['admin'], kind: 'user' }, -60);
    expect(await get('/health')).toEqual({ status: 200, body: { ok: true } });
    expect(await get('/whoami')).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/no credentials/) },
    });
    expect(await get('/whoami', { Authorization: `Bearer ${expired}` })).toMatchObject({
      status: 401,
      body: { message: 'the token has expired' },
    });
    expect(await get('/whoami', { Authorization: `Bearer ${reviewer}` })).toMatchObject({
      status: 403,
      body: { message: 'this needs one of the roles upstream, admin; rex has reviewer' },
    });
    expect(await get('/whoami', { Authorization: `Bearer ${admin}` })).toMatchObject({
      status: 200,
      body: { subject: 'ada' },
    });
  });

  it('refuses to start an app with an endpoint that declares neither @Public nor @Roles', async () => {
    const careless = await NestFactory.create(appModule(databaseUri, [ProbeController, CarelessController]), {
      logger: false,
    });
    try {
      await expect(careless.init()).rejects.toThrow(
        'endpoints without @Public() or @Roles(...): CarelessController.forgotten',
      );
    } finally {
      await careless.close();
    }
  });
});

describe("tokens verified with an identity provider's key set, fetched over HTTP", () => {
  it('accepts its tokens, and says so when the key set cannot be fetched', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = JSON.stringify({
      keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }],
    });
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    const verifier = createTokenVerifier({
      jwksUrl: url,
      issuer: 'https://idp.test',
      audience: 'oversight-api',
    });
    const token = await new SignJWT({ roles: ['auditor'], name: 'Carol' })
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
      .setSubject('carol@example.com')
      .setIssuer('https://idp.test')
      .setAudience('oversight-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    try {
      expect(await verifier.verify(token)).toEqual({
        subject: 'carol@example.com',
        roles: ['auditor'],
        kind: 'user',
        name: 'Carol',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const unreachable = createTokenVerifier({
      jwksUrl: url,
      issuer: 'https://idp.test',
      audience: 'oversight-api',
    });
    await expect(unreachable.verify(token)).rejects.toMatchObject({ failure: 'key-set-unavailable' });
  });
});
