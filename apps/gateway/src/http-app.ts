import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER } from '@oversight/auth';

/**
 * The OpenAPI document at /docs (public; its routes are not controllers, so the guard never sees them).
 */
export function configureApiDocs(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Oversight gateway')
      .setDescription(
        'The HTTP entry point of the oversight platform: upstream systems propose decisions, operators pull the ' +
          'stop button, publish policies and replay dead letters. Authenticate with a bearer JWT or an API key.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, 'api-key')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}
