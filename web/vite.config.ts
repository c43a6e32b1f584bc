import { fileURLToPath } from 'node:url';
import { defineConfig, type Rollup } from 'vite';

type RollupLog = Rollup.RollupLog;

/** Rollup's notes on misplaced PURE comments inside dependencies (zod) are not about this code. */
function quiet(warning: RollupLog, warn: (w: RollupLog) => void): void {
  if (warning.code === 'INVALID_ANNOTATION') return;
  warn(warning);
}

/** The web explorer: static files built from web/ into web/dist, the library bundled from ../src. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    rollupOptions: { onwarn: quiet },
  },
  resolve: {
    // the library's one Node built-in (LUT activation keys hash with node:crypto): a browser equivalent
    alias: [
      {
        find: 'node:crypto',
        replacement: fileURLToPath(new URL('./src/shims/node-crypto.ts', import.meta.url)),
      },
      // the network file readers (never called by the page: it parses the text it is given)
      { find: 'node:fs', replacement: fileURLToPath(new URL('./src/shims/node-fs.ts', import.meta.url)) },
    ],
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
