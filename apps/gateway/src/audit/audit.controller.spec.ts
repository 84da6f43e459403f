import { exportFileName } from './audit.controller';

describe('exportFileName', () => {
  it.each([
    ['ndjson', 'decisions-2026-11-27T03-56-07Z.ndjson'],
    ['csv', 'decisions-2026-11-27T03-56-07Z.csv'],
  ] as const)('%s → %s', (format, name) => {
    expect(exportFileName(format, new Date('2026-11-27T03:56:07.123Z'))).toBe(name);
  });
});
