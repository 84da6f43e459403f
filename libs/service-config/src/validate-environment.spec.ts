import { IsInt, Max, Min } from 'class-validator';
import { CommonEnvironment } from './common-environment';
import { validateEnvironment } from './validate-environment';

class ExampleEnvironment extends CommonEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  HTTP_PORT: number = 3000;
}

const validate = validateEnvironment(ExampleEnvironment);

describe('validateEnvironment', () => {
  it('fills defaults that point at the local infra', () => {
    expect(validate({})).toMatchObject({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/oversight',
      HTTP_PORT: 3000,
    });
  });

  it('converts strings from the environment to declared types and ignores unrelated variables', () => {
    const config = validate({ HTTP_PORT: '8080', PATH: '/usr/bin', KAFKA_BROKERS: 'k1:9092,k2:9092' });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toBe('k1:9092,k2:9092');
    expect(config).not.toHaveProperty('PATH');
  });

  it('treats an empty variable as unset', () => {
    expect(validate({ HTTP_PORT: '' }).HTTP_PORT).toBe(3000);
  });

  it('names every bad variable and why', () => {
    expect(() => validate({ HTTP_PORT: '70000', KAFKA_BROKERS: 'localhost', LOG_LEVEL: 'loud' })).toThrow(
      /HTTP_PORT: HTTP_PORT must not be greater than 65535[\s\S]*KAFKA_BROKERS must be a comma-separated list of host:port[\s\S]*LOG_LEVEL must be one of/,
    );
  });
});
