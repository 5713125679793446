// Closing a trajectory in the browser (issue 11): the coordinator opens the closing page,
// is warned about goals still active and interventions still running, settles them in the
// same step, closes with option A or B, and prints the summary for the client and the
// receiver. The closing page and the print pages pass axe-core's WCAG 2.1 AA rules.
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

async function newPage(width = 1280) {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width, height: 1000 }, bypassCSP: true });
  const page = await context.newPage();
  page.on('dialog', (dialog) => dialog.accept());
  return page;
}

async function openTrajectory(page, name) {
  await page.goto(`${regie.url}/clients?q=${name}`);
  await page.click(`text=${name}`);
  await page.waitForURL(/\/clients\/\d+$/);
  await page.click('.list a[href^="/trajectories/"]');
  await page.waitForURL(/\/trajectories\/\d+$/);
  return page.url();
}

// Marks every goal still active on the closing page as achieved.
async function achieveEveryGoal(page) {
  for (const radio of await page.$$('#closure-goals input[type="radio"][value="achieved"]')) {
    await radio.check();
  }
}

test('a coordinator closes a trajectory with open goals through the closing page', async () => {
  const page = await newPage(768);
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  const trajectory = await openTrajectory(page, 'Gerrit');

  await page.click('#close-trajectory');
  await page.waitForURL(/\/close$/);
  assert.match(await page.textContent('#closure-open-warning'), /niet alles in het plan is klaar/);
  assert.match(await page.textContent('main'), /Doelscores bij afsluiting/);
  assert.deepEqual(await seriousViolations(page), []);

  // Goals left open: the form comes back with the message and the input kept.
  await page.check('#option-a');
  await page.fill('#summary', 'Meneer spuit zelf zijn insuline.');
  await page.click('form[action$="/close"] button[type="submit"]');
  await page.waitForSelector('#closure-goals .field-error');
  assert.equal(await page.inputValue('#summary'), 'Meneer spuit zelf zijn insuline.');
  assert.deepEqual(await seriousViolations(page), [], 'the closing page with messages is accessible');

  await achieveEveryGoal(page);
  await page.click('form[action$="/close"] button[type="submit"]');
  await page.waitForURL(trajectory);
  const closure = await page.textContent('#closure');
  assert.match(closure, /Geen zorg of ondersteuning meer nodig/);
  assert.match(closure, /Meneer spuit zelf zijn insuline\./);
  assert.equal(await page.$('#close-trajectory'), null, 'closed: no more closing');
  assert.deepEqual(await seriousViolations(page), []);

  await page.click('#closure a[href$="/closure/print"]');
  await page.waitForURL(/\/closure\/print$/);
  assert.match(await page.textContent('#for-client'), /Wat u heeft bereikt/);
  assert.equal(await page.$('#for-receiver'), null);
  assert.deepEqual(await seriousViolations(page), []);
});

test('a referral prints a handover for the receiver', async () => {
  const page = await newPage();
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  const trajectory = await openTrajectory(page, 'Bert');
  await page.goto(`${trajectory}/close`);
  await page.check('#option-b');
  await page.selectOption('#referral_to', 'wlz');
  await page.fill('#handover', 'Meneer wil zelf blijven koken; bel eerst zijn zoon.');
  await page.fill('#summary', 'Doorverwezen naar de Wlz.');
  await achieveEveryGoal(page);
  await page.click('form[action$="/close"] button[type="submit"]');
  await page.waitForURL(trajectory);
  assert.match(await page.textContent('#closure'), /Doorverwezen naar Wlz/);

  await page.goto(`${trajectory}/closure/print`);
  const receiver = await page.textContent('#for-receiver');
  assert.match(receiver, /bel eerst zijn zoon/);
  assert.match(receiver, /Doelen en hoe ze ervoor staan/);
  assert.deepEqual(await seriousViolations(page), []);
});
