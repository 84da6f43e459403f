import { bodyParserErrors } from './json-body';

/** What the error handler sent: the status and the JSON body. */
function answerTo(error: unknown) {
  const sent: { status?: number; body?: unknown; next?: unknown } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    setHeader: () => undefined,
    json(body: unknown) {
      sent.body = body;
    },
  };
  bodyParserErrors(error, {} as never, response as never, (passed) => (sent.next = passed));
  return sent;
}

describe('bodyParserErrors', () => {
  it('answers a body that is not JSON with a 400 naming the body as a whole', () => {
    const sent = answerTo({
      type: 'entity.parse.failed',
      status: 400,
      message: 'Unexpected token \'"\', ""AAA"" is not valid JSON',
    });
    expect(sent).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'the body is not valid JSON: Unexpected token \'"\', ""AAA"" is not valid JSON',
        problems: [
          { field: '(root)', reason: 'not valid JSON: Unexpected token \'"\', ""AAA"" is not valid JSON' },
        ],
      },
    });
  });

  it('answers a body over the limit with a 413 in the error shape', () => {
    expect(answerTo({ type: 'entity.too.large', status: 413, message: 'request entity too large' })).toEqual({
      status: 413,
      body: { statusCode: 413, error: 'Payload Too Large', message: 'the body is larger than 256 KiB' },
    });
  });

  it('passes anything that is not a client error on', () => {
    const failure = new Error('socket closed');
    expect(answerTo(failure)).toEqual({ next: failure });
  });
});
