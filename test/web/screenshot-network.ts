/**
 * Regenerates docs/web-explorer-network.png (not part of `npm test`):
 *   npx tsx test/web/screenshot-network.ts
 * The example version 2 network loaded, evaluated at x = (3.96875, -4), where a result cast saturates.
 */
import { startExplorer } from './harness.js';

const app = await startExplorer();
try {
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(app.url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  await page.click('#net-example');
  await page.locator('[data-testid="net-summary"]').waitFor({ timeout: 60_000 });
  await page.fill('#net-input', '3.96875, -4');
  await page.selectOption('#net-round', 'no');
  await page.click('#net-eval');
  await page.locator('[data-testid="net-output"]').waitFor({ timeout: 60_000 });
  await page.locator('#network').screenshot({ path: 'docs/web-explorer-network.png' });
  console.log('wrote docs/web-explorer-network.png');
} finally {
  await app.close();
}
