// Integration ring: suites in e2e/ against the real broker and store (see jest.e2e.preset.js).
module.exports = {
  displayName: 'testing:e2e',
  preset: '../../jest.e2e.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
};
