import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `nx serve console` runs this dev server with the API proxied to a gateway on GATEWAY_URL; in production the
// gateway serves the build (dist/apps/console) itself, so the console and the API share one origin.
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: { outDir: path.resolve(here, '../../dist/apps/console'), emptyOutDir: true },
  server: {
    port: 4200,
    proxy: { '/v1': process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080' },
  },
});
