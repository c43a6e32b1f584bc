import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormat } from '../../src/format.js';
import { parseNetworkJson } from '../../src/network/network-json.js';
import { evaluateReference } from '../../src/network/reference-evaluator.js';
import { exactCode } from '../../src/value.js';
import { CHROMIUM, type Explorer, hasChromium, startExplorer } from './harness.js';

const available = hasChromium();
if (!available) {
  console.warn(
    `web explorer e2e tests SKIPPED: Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`,
  );
}

/** The text of a download the page triggers by clicking `selector`. */
async function downloaded(page: Page, selector: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await dl.path();
  return readFileSync(path, 'utf8');
}

/** The verdict line of a configuration; an inline error instead fails at once, with its text. */
async function verdictFor(page: Page, label: string, timeout = 40_000) {
  const verdict = page.locator('.verdict', { hasText: label });
  await verdict.or(page.locator('#verdict-body .error')).first().waitFor({ timeout });
  if ((await verdict.count()) === 0)
    throw new Error(`no verdict: ${await page.textContent('#verdict-body')}`);
  return verdict;
}

describe.skipIf(!available)('web explorer in headless Chromium', () => {
  let app: Explorer;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startExplorer();
    page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 180_000);

  afterAll(async () => {
    if (app) console.log(`web explorer: production build took ${(app.buildMillis / 1000).toFixed(1)} s`);
    await app?.close();
  });

  it('shows the DIST witness for sigmoid on Q2.0, then ✓ universal for relu on Q3.4 with its certificate', async () => {
    await page.goto(`${app.url}#format=Q2.0&activation=sigmoid`);
    const first = await verdictFor(page, 'sigmoid on Q2.0');
    expect(await first.getAttribute('data-verdict')).toBe('not-universal');
    expect(await page.textContent('#verdict-body')).toContain('DIST fails: x = -4 and y = -3');
    expect(await page.locator('svg.plot .witness circle').count()).toBe(2);

    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#activation', 'relu');
    await page.fill('#format-spec', 'Q3.4');
    await page.press('#format-spec', 'Enter');
    const verdict = await verdictFor(page, 'relu on Q3.4');
    expect(await verdict.getAttribute('data-verdict')).toBe('universal');
    expect(await verdict.textContent()).toMatch(/^✓ universal/);
    expect(await page.inputValue('#int-bits')).toBe('3');
    expect(await page.inputValue('#frac-bits')).toBe('4');
    const gadgets = page.locator('#evidence .gadget');
    expect(await gadgets.count()).toBe(4);
    for (let i = 0; i < 4; i++) expect(await gadgets.nth(i).textContent()).toContain('✓ holds');
    expect(await page.textContent('#evidence')).toContain('Truth table (256 inputs checked)');
    expect(await page.evaluate(() => location.hash)).toContain('format=Q3.4');
  });

  it('constructs a network for a sketched target, verified on all 256 inputs, and the JSON reproduces the target', async () => {
    const sketch = page.locator('canvas.sketch');
    await sketch.scrollIntoViewIfNeeded();
    const box = await sketch.boundingBox();
    if (!box) throw new Error('the sketch is not visible');
    await page.mouse.move(box.x + 60, box.y + box.height * 0.2);
    await page.mouse.down();
    for (let i = 1; i <= 24; i++) {
      const x = box.x + 60 + (i * (box.width - 80)) / 24;
      const y = box.y + box.height * (i % 2 === 0 ? 0.2 : 0.75);
      await page.mouse.move(x, y, { steps: 2 });
    }
    await page.mouse.up();
    await sketch.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');

    await page.click('#construct-btn');
    const verified = page.locator('[data-testid="verified"]');
    await verified.or(page.locator('#construct-error:not(:empty)')).first().waitFor({ timeout: 50_000 });
    expect(await page.textContent('#construct-error')).toBe('');
    expect(await verified.textContent()).toBe('✓ verified on all 256 inputs');
    expect(await page.textContent('#construct-result')).toContain('0 mismatches');

    // independent check, in Node: the downloaded network computes the downloaded target on every input
    const csv = (await downloaded(page, '#download-target')).trim().split('\n');
    const json = await downloaded(page, '#download-network');
    expect(csv[0]).toBe('x1,y');
    expect(csv.length).toBe(257);
    const net = parseNetworkJson(json);
    const f = parseFormat('Q3.4');
    expect(net.format).toBe(f);
    let unlikeAbs = 0;
    for (const row of csv.slice(1)) {
      const [x, y] = row.split(',');
      const xc = exactCode(x, f);
      const yc = exactCode(y, f);
      expect(evaluateReference(net, [xc])[0]).toBe(yc);
      const abs = xc < 0n ? -xc : xc;
      if (yc !== (abs > f.maxCode ? f.maxCode : abs)) unlikeAbs++;
    }
    // the sketch replaced the default target |x| almost everywhere
    expect(unlikeAbs).toBeGreaterThan(150);
  });

  it('shows a bad expression as an inline error and keeps working', async () => {
    await page.fill('#expr', 'x1 +* 2');
    await page.click('#expr-apply');
    const error = page.locator('#expr-error');
    await expect.poll(() => error.textContent(), { timeout: 20_000 }).toContain('expression "x1 +* 2"');
    expect(await page.getAttribute('#expr', 'aria-invalid')).toBe('true');

    await page.fill('#expr', 'nosuch(x1)');
    await page.click('#expr-apply');
    await expect.poll(() => error.textContent(), { timeout: 20_000 }).toContain('unknown function "nosuch"');

    await page.fill('#expr', 'x1/2');
    await page.click('#expr-apply');
    await expect
      .poll(() => page.textContent('#construct-status'), { timeout: 20_000 })
      .toContain('f(x1) = x1/2');
    expect(await error.textContent()).toBe('');
    expect(await page.isHidden('#banner')).toBe(true);
  });

  it('computes the reproduction map and opens a cell’s configuration', async () => {
    await page.selectOption('#map-bits', '3');
    await page.click('#map-btn');
    await page.locator('.map-table').waitFor({ timeout: 40_000 });
    const cells = page.locator('.map-table button.cell');
    expect(await cells.count()).toBe(3 * 14);
    await page.click('.map-table button[aria-label^="relu on Q1.1:"]');
    const verdict = await verdictFor(page, 'relu on Q1.1');
    expect(await verdict.getAttribute('data-verdict')).toBe('not-universal');
    expect(await page.inputValue('#format-spec')).toBe('Q1.1');
  });

  it('fits a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}#format=Q2.3&activation=gelu`);
    await verdictFor(page, 'gelu on Q2.3');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(pageErrors).toEqual([]);
  });
});
