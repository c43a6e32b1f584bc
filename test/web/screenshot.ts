/**
 * Regenerates the web explorer's screenshots in docs/ (not part of `npm test`):
 *   npx tsx test/web/screenshot.ts
 * Builds the page, serves it on 127.0.0.1 and drives headless Chromium at 1280×800.
 */
import { startExplorer } from './harness.js';

const app = await startExplorer();
try {
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${app.url}#format=Q2.3&activation=sigmoid`);
  await page.locator('.verdict', { hasText: 'sigmoid on Q2.3' }).waitFor({ timeout: 60_000 });
  // a cursor on the plot, as a reader would hover it
  const plot = page.locator('svg.plot');
  const box = await plot.boundingBox();
  if (box) await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.5);
  await page.screenshot({ path: 'docs/web-explorer.png' });

  await page.fill('#expr', 'sin(3*x1)');
  await page.click('#expr-apply');
  await page.waitForFunction(() =>
    document.querySelector('#construct-status')?.textContent?.includes('sin(3*x1)'),
  );
  await page.click('#construct-btn');
  await page.locator('[data-testid="verified"]').waitFor({ timeout: 60_000 });
  await page.locator('#construct').screenshot({ path: 'docs/web-explorer-construct.png' });
  console.log('wrote docs/web-explorer.png and docs/web-explorer-construct.png');
} finally {
  await app.close();
}
