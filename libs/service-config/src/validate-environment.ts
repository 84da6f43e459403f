import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '@oversight/contracts';

/**
 * Builds the `validate` function of @nestjs/config's ConfigModule from an app's environment class: values are
 * converted to the declared types, defaults come from the class's initializers, and a bad value stops the
 * service at start-up with every broken variable named.
 */
export function validateEnvironment<T extends object>(schema: new () => T) {
  return (raw: Record<string, unknown>): T => {
    const known = Object.keys(new schema());
    const present = Object.fromEntries(
      Object.entries(raw).filter(
        ([key, value]) => known.includes(key) && value !== undefined && value !== '',
      ),
    );
    const config = plainToInstance(schema, present, {
      enableImplicitConversion: true,
      exposeDefaultValues: true,
    });
    const errors = flattenValidationErrors(validateSync(config, { forbidUnknownValues: true }));
    if (errors.length) {
      throw new Error(`invalid configuration:\n  ${errors.join('\n  ')}`);
    }
    return config;
  };
}
