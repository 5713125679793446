// A visit on a tablet (issue 5): at 768×1024, a care worker taps the support given per agreed
// activity, gives a reason for more than agreed, writes a success in the client's words, and
// then sees the team signal and the success on the client's page. axe-core checks each page.
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

test('a visit is logged on a tablet and the team sees the signal and the success', async () => {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 768, height: 1024 }, hasTouch: true, bypassCSP: true });
  const page = await context.newPage();
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);

  // "My visits today" first; Gerrit is in execution.
  await page.click('nav a[href="/visits"]');
  await page.waitForURL(`${regie.url}/visits`);
  assert.deepEqual(await seriousViolations(page), []);
  await page.click('li:has-text("Gerrit") a.big-button');
  await page.waitForURL(/\/visits\/new$/);
  const form = await page.textContent('main');
  assert.match(form, /Wast alleen de rug/, 'the agreement comes first');
  assert.deepEqual(await seriousViolations(page), []);
  const client = await page.textContent('h1');
  assert.match(client, /Gerrit/);

  // Washing: far more than agreed, and no reason yet. Dressing: the client did more.
  await page.tap('label[for="level-wassen-4"]');
  await page.tap('label[for="level-aankleden-1"]');
  await page.fill('#minutes', '25');
  await page.fill('#success', 'Ik heb zelf mijn trui aangetrokken!');
  await page.tap('button.big-button');
  await page.waitForSelector('#reason-wassen-error');
  assert.equal(await page.isChecked('#level-wassen-4'), true, 'taps kept');
  assert.equal(await page.inputValue('#success'), 'Ik heb zelf mijn trui aangetrokken!');
  assert.deepEqual(await seriousViolations(page), [], 'the form with its message is accessible');
  await page.selectOption('#reason-wassen', 'pain');
  await page.tap('button.big-button');
  await page.waitForURL(/\/visits\?saved=1$/);
  assert.match(await page.textContent('[role="status"]'), /opgeslagen/);
  const overview = await page.textContent('main');
  assert.match(overview, /Wassen: collega's gaven de afgelopen 14 dagen duidelijk verschillende hulp \(van \d tot 4\)/);
  assert.deepEqual(await seriousViolations(page), []);

  // The client's page: agreements, then the signal and the success.
  await page.click('text=Terug naar het dossier');
  await page.waitForURL(/\/clients\/\d+$/);
  const record = await page.textContent('main');
  assert.match(record, /Signalen voor het team[\s\S]*Wassen: collega's/);
  assert.match(record, /Successen[\s\S]*Ik heb zelf mijn trui aangetrokken!/);
  assert.deepEqual(await seriousViolations(page), []);

  // And the team page shows the success in the feed.
  await page.click('nav a[href="/team"]');
  await page.waitForURL(`${regie.url}/team`);
  assert.match(await page.textContent('main'), /Ik heb zelf mijn trui aangetrokken!/);
  assert.deepEqual(await seriousViolations(page), []);
});
