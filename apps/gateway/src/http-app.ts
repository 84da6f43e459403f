import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
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
  SwaggerModule.setup('docs', app, withErrorAnswers(document));
}

/**
 * The one error shape of every endpoint (ErrorBody in libs/contracts, sent by HttpErrorFilter), in the document
 * so clients and the API fuzz (e2e/api-fuzz) can check an error against it.
 */
const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    error: { type: 'string', description: "the status's name, e.g. Bad Request" },
    message: { type: 'string', description: 'what went wrong, for people' },
    code: { type: 'string', description: 'why, for programs (e.g. own-request, regression-changed)' },
    problems: {
      type: 'array',
      description: 'one per broken rule of the request',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string', description: 'a dotted path; (root) for the body as a whole' },
          reason: { type: 'string' },
        },
      },
    },
  },
};

/**
 * Documents every error answer (4xx and 5xx) of each operation as the one error shape: the operation's own
 * documented errors keep their descriptions and get the schema, any other error status is the `default` answer.
 */
export function withErrorAnswers(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY_SCHEMA },
  };
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (/^[45]\d\d$/.test(status) && response && 'description' in response && !response.content) {
          response.content = errorContent;
        }
      }
      operation.responses = {
        ...operation.responses,
        default: { description: 'an error, in the one error shape of the platform', content: errorContent },
      };
    }
  }
  return document;
}
