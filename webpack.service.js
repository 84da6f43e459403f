// How every service is bundled: the workspace libs inlined through the tsconfig path aliases, node_modules left
// external (installed beside dist in the image). ts-loader only transpiles; type errors are the `typecheck`
// target's job. Transpiling with TypeScript itself (not esbuild or babel) keeps Nest's decorator metadata.
const path = require('node:path');
const nodeExternals = require('webpack-node-externals');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');

/** @param extraEntries more programs of the same app, e.g. `{ cli: 'src/cli/audit-cli.ts' }` → dist/apps/<app>/cli.js */
module.exports = function serviceWebpackConfig(appDir, extraEntries = {}) {
  const name = path.basename(appDir);
  const tsconfig = path.join(appDir, 'tsconfig.json');
  return {
    target: 'node',
    mode: 'none',
    entry: Object.fromEntries(
      Object.entries({ main: 'src/main.ts', ...extraEntries }).map(([entry, file]) => [
        entry,
        path.join(appDir, file),
      ]),
    ),
    output: { path: path.join(__dirname, 'dist/apps', name), filename: '[name].js', clean: true },
    devtool: 'source-map',
    resolve: { extensions: ['.ts', '.js'], plugins: [new TsconfigPathsPlugin({ configFile: tsconfig })] },
    externalsPresets: { node: true },
    externals: [nodeExternals({ modulesDir: path.join(__dirname, 'node_modules') })],
    module: {
      rules: [{ test: /\.ts$/, loader: 'ts-loader', options: { transpileOnly: true, configFile: tsconfig } }],
    },
    optimization: { minimize: false, nodeEnv: false },
    stats: 'errors-warnings',
  };
};
