import { launchBrowser, login } from './tests/harness.mjs';
const [base, user, ...paths] = process.argv.slice(2);
const browser = await launchBrowser();
const ctx = await browser.newContext({ viewport: { width: Number(process.env.W || 1280), height: 900 }, locale: process.env.L || 'nl-NL' });
const page = await ctx.newPage();
await login(page, base, user);
let i = 0;
for (const p of paths) {
  const r = await page.goto(base + p);
  const file = `/tmp/shots/${process.env.P || 's'}${i++}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(r.status(), p, file);
}
await browser.close();
