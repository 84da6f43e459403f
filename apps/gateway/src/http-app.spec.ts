import { OpenAPIObject } from '@nestjs/swagger';
import { withErrorAnswers } from './http-app';

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };

describe('withErrorAnswers', () => {
  const document = (): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 'gateway', version: '1' },
    paths: {
      '/v1/decisions/{decisionId}': {
        get: {
          responses: {
            '200': { description: 'the decision' },
            '404': { description: 'The audit trail holds nothing for it' },
          },
        },
      },
    },
  });

  it('documents the one error shape for every error an operation may answer', () => {
    const { paths, components } = withErrorAnswers(document());
    expect(components?.schemas?.ErrorBody).toMatchObject({ required: ['statusCode', 'error', 'message'] });
    expect(paths['/v1/decisions/{decisionId}'].get?.responses).toEqual({
      '200': { description: 'the decision' },
      '404': { description: 'The audit trail holds nothing for it', content: errorContent },
      default: { description: 'an error, in the one error shape of the platform', content: errorContent },
    });
  });

  it('leaves a documented success answer without an error schema', () => {
    const { paths } = withErrorAnswers(document());
    expect(paths['/v1/decisions/{decisionId}'].get?.responses['200']).toEqual({
      description: 'the decision',
    });
  });
});
