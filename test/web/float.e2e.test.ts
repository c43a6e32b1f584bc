import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Explorer, hasChromium, startExplorer } from './harness.js';

describe.skipIf(!hasChromium())('web explorer: float formats', () => {
  let explorer: Explorer;
  beforeAll(async () => {
    explorer = await startExplorer();
  }, 180_000);
  afterAll(async () => {
    await explorer?.close();
  });

  it('shows the facts of E4M3 and gelu(−448) = −0, and a bad spec as an inline error', async () => {
    const page = await explorer.browser.newPage();
    try {
      await page.goto(explorer.url);
      await page.fill('#float-spec', 'E4M3');
      await page.selectOption('#float-activation', 'gelu');
      await page.click('#float-btn');
      await expect.poll(() => page.textContent('#float-facts')).toContain('max 448');
      const table = (await page.textContent('#float-table')) ?? '';
      expect(table.split('\n')[0]).toBe('-448 → -0');
      expect(table).toContain('448 → 448');
      await page.fill('#float-spec', 'E4M3FNUZ');
      await page.click('#float-btn');
      await expect.poll(() => page.textContent('#float-error')).toContain('FNUZ formats');
    } finally {
      await page.close();
    }
  }, 60_000);
});
