// Evaluating with the client in the browser (issue 11): the coordinator finds an overdue
// evaluation on the home page, scores the goals beside the baseline, decides, tapers support
// and saves; the plan has a new version "evaluatie van …". A mistake is shown next to the
// field with the input kept. The page passes axe-core's WCAG 2.1 AA rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRegie, launchBrowser, login, seriousViolations } from './harness.mjs';

let regie;
let browser;

before(async () => {
  regie = await startRegie();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await regie?.stop();
});

test('a coordinator evaluates with the client from the worklist', async () => {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1024, height: 1000 }, bypassCSP: true });
  const page = await context.newPage();
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  assert.match(await page.textContent('main'), /Evaluaties deze week/);
  await page.click('main a[href$="/evaluation"]');
  await page.waitForURL(/\/trajectories\/\d+\/evaluation$/);
  const evaluation = page.url();
  assert.deepEqual(await seriousViolations(page), []);

  // Every goal: scores and a decision; the first one with a score out of range first.
  const goals = await page.$$eval('input[name="goal"]', (els) => els.map((e) => e.value));
  assert.ok(goals.length > 0, 'the goals are on the page');
  for (const [i, id] of goals.entries()) {
    await page.fill(`#performance-${id}`, i === 0 ? '11' : '6');
    await page.fill(`#satisfaction-${id}`, '7');
    await page.fill(`#words-${id}`, 'Het lukt steeds beter');
    await page.selectOption(`#decision-${id}`, 'continue');
  }
  await page.click('form[action$="/evaluation"] button[type="submit"]');
  await page.waitForSelector(`#performance-${goals[0]}-error`);
  assert.match(await page.textContent(`#performance-${goals[0]}-error`), /1 tot 10|1 to 10/);
  assert.equal(await page.inputValue(`#words-${goals[0]}`), 'Het lukt steeds beter');
  assert.deepEqual(await seriousViolations(page), []);

  await page.fill(`#performance-${goals[0]}`, '6');
  if (await page.$('#support-0')) {
    const current = await page.inputValue('#support-0');
    await page.selectOption('#support-0', String(Math.max(0, Number(current) - 1)));
  }
  await page.click('form[action$="/evaluation"] button[type="submit"]');
  await page.waitForURL(/\/plan$/);
  await page.goto(evaluation.replace('/evaluation', '/plan/versions'));
  assert.match(await page.textContent('main'), /evaluatie van/);
  await context.close();
});
