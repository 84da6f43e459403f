import { ConfigService } from '@nestjs/config';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { API_KEY_HEADER } from '@oversight/auth';
import { GatewayEnvironment } from '../config/gateway-environment';
import { Refusals } from './refusals';

/**
 * The HTTP-level protections, before any route: the refusal log, the proxy setting per-address limits count
 * by, security headers (helmet's defaults: a same-origin content security policy the console and the API docs
 * live within, HSTS, no sniffing, no framing), and CORS closed unless CORS_ORIGINS names origins.
 */
export function protectHttp(app: NestExpressApplication): void {
  const config = app.get<ConfigService<GatewayEnvironment, true>>(ConfigService);
  const trustProxy = config.get('GATEWAY_TRUST_PROXY', { infer: true });
  app.set('trust proxy', trustProxy === 'off' ? false : Number(trustProxy));
  app.use(app.get(Refusals).watch);
  app.use(helmet());
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins) {
    app.enableCors({
      origin: origins.split(','),
      allowedHeaders: ['Authorization', 'Content-Type', API_KEY_HEADER],
      exposedHeaders: ['Retry-After'],
      maxAge: 600,
    });
  }
}
