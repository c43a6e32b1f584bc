import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const hasChromium = (): boolean => existsSync(CHROMIUM);

const CONFIG = 'web/vite.config.ts';

export interface Explorer {
  /** The page's address on 127.0.0.1. */
  readonly url: string;
  readonly browser: Browser;
  /** Milliseconds the production build took. */
  readonly buildMillis: number;
  close(): Promise<void>;
}

/**
 * Builds the web explorer as `npm run build:web` does (into a temporary folder, so that parallel
 * runs do not collide), serves the static files with `vite preview` on 127.0.0.1 and launches
 * headless Chromium.
 */
export async function startExplorer(): Promise<Explorer> {
  const outDir = mkdtempSync(join(tmpdir(), 'fxnn-web-'));
  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    const t0 = performance.now();
    await build({
      configFile: CONFIG,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, reportCompressedSize: false },
    });
    const buildMillis = performance.now() - t0;
    server = await preview({
      configFile: CONFIG,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report its address');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    const srv = server;
    const br = browser;
    return {
      url,
      browser: br,
      buildMillis,
      async close() {
        await br.close();
        await srv.close();
        rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
}
