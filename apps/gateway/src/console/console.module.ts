import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServeStaticModule, ServeStaticModuleOptions } from '@nestjs/serve-static';
import { GatewayEnvironment } from '../config/gateway-environment';

/** Paths that stay the API's: an unknown one there is a JSON 404, never the console's page. */
const API_PATHS = ['/v1/{*rest}', '/docs{*rest}', '/health{*rest}'];

/** Where the console's build is: CONSOLE_DIR, or beside the gateway's bundle (dist/apps/gateway → dist/apps/console). */
export function consoleFolder(consoleDir: string, bundleDir = __dirname): string | undefined {
  if (consoleDir === 'off') return undefined;
  return consoleDir ? path.resolve(consoleDir) : path.resolve(bundleDir, '../console');
}

function consoleOptions(consoleDir: string): ServeStaticModuleOptions[] {
  const logger = new Logger('console');
  const folder = consoleFolder(consoleDir);
  if (!folder) return [];
  if (!existsSync(path.join(folder, 'index.html'))) {
    logger.warn(`no console build in ${folder} (run: npx nx build console); serving the API only`);
    return [];
  }
  logger.log(`serving the console from ${folder}`);
  return [
    {
      rootPath: folder,
      exclude: API_PATHS,
      serveStaticOptions: {
        // index.html must be re-read after a deploy; the hashed assets may be cached for good.
        setHeaders: (res: { setHeader(name: string, value: string): void }, file: string) =>
          res.setHeader(
            'Cache-Control',
            file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
          ),
      },
    },
  ];
}

/**
 * The reviewers' console: a static single-page app that talks to this same gateway's API with the signed-in
 * person's token, so it needs no server of its own and no CORS. Without a console build (an API-only
 * deployment, or `nx build console` not run) the gateway says so once and serves the API alone.
 */
export const ConsoleModule = ServeStaticModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<GatewayEnvironment, true>) =>
    consoleOptions(config.get('CONSOLE_DIR', { infer: true })),
});
