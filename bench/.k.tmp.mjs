import { chromium } from '@playwright/test';
import { BASE_ARGS, CHROMIUM, servePreview } from '../scripts/browser.mjs';
const server = await servePreview(4187);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: BASE_ARGS });
try { const page = await browser.newPage({ viewport: { width: 320, height: 240 } });
  await page.addInitScript(() => { window.__STUDIO_TEST_HOOK__ = true; });
  await page.goto(`${server.base}/kiosk?camera=0&res=64&period=1&fade=0.6`);
  await page.waitForFunction(() => window.__studio?.hud.frame > 20, null, {timeout: 60000});
  for (let i=0;i<3;i++) { await page.waitForTimeout(3000); console.log(JSON.stringify(await page.evaluate(() => { const h = window.__studio.hud; return { fps: h.fps, med: h.medianMs, dropped: h.dropped, frame: h.frame, t: h.timings }; }))); }
} finally { await browser.close(); server.stop(); }
