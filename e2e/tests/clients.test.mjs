// Registering a client in the browser: a mistake is explained next to its field and the input
// stays; after correcting it the record shows the details with the BSN masked.
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

test('a coordinator registers a client, corrects a mistake, and sees the record', async () => {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 768, height: 1024 }, hasTouch: true, bypassCSP: true });
  const page = await context.newPage();
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  await page.goto(`${regie.url}/clients`);
  await page.click('text=Nieuwe cliënt');
  await page.waitForURL(`${regie.url}/clients/new`);
  assert.deepEqual(await seriousViolations(page), []);

  await page.fill('#name', 'Mevrouw T. Hoekstra');
  await page.fill('#date_of_birth', '1939-04-21');
  await page.fill('#bsn', '123456789');
  await page.selectOption('#living_situation', 'with_partner');
  await page.fill('#street', 'Beukenhof');
  await page.fill('#house_number', '4');
  await page.fill('#postcode', '8011ab');
  await page.fill('#city', 'Zwolle');
  await page.click('form[action="/clients"] button[type="submit"]');

  await page.waitForSelector('#bsn-error');
  assert.match(await page.textContent('#bsn-error'), /geen geldig burgerservicenummer/);
  assert.equal(await page.getAttribute('#bsn', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#name'), 'Mevrouw T. Hoekstra', 'input kept');
  assert.equal(await page.inputValue('#street'), 'Beukenhof');
  assert.deepEqual(await seriousViolations(page), [], 'the form with its messages is accessible');

  await page.fill('#bsn', '123456782');
  await page.click('form[action="/clients"] button[type="submit"]');
  await page.waitForURL(/\/clients\/\d+$/);
  assert.match(await page.textContent('h1'), /Mevrouw T. Hoekstra/);
  const details = await page.textContent('.details');
  assert.match(details, /Beukenhof 4, 8011 AB Zwolle/);
  assert.match(details, /\*{6}782/);
  assert.doesNotMatch(await page.content(), /123456782/);
  assert.deepEqual(await seriousViolations(page), []);

  // Start a trajectory with the question in the client's own words, and take the first step.
  const record = page.url();
  await page.click('text=Traject starten');
  await page.waitForURL(/\/trajectories\/new$/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.fill('#question', 'Ik wil weer zelf de trap op naar de slaapkamer.');
  await page.check('#qt-paramedische_zorg');
  await page.click('form[action$="/trajectories"] button[type="submit"]');
  await page.waitForURL(/\/trajectories\/\d+$/);
  assert.equal(await page.textContent('[aria-current="step"]'), 'Aanmelding');
  await page.click('text=Naar Vraagverheldering');
  await page.waitForSelector('text=Naar fase Vraagverheldering');
  assert.match(await page.textContent('[aria-current="step"]'), /Vraagverheldering/);
  assert.deepEqual(await seriousViolations(page), []);
  // The broad assessment: the client's view and the professional's view, side by side.
  const trajectory = page.url();
  await page.click('text=Naar zelfredzaamheid per levensgebied');
  await page.waitForURL(/\/assessments$/);
  const record_view = async (perspective, levels) => {
    await page.goto(`${trajectory}/assessments/new?perspective=${perspective}`);
    const selects = await page.$$eval('select[name^="level-"]', (els) => els.map((e) => e.name));
    assert.equal(selects.length, 13);
    for (const [i, name] of selects.entries()) await page.selectOption(`select[name="${name}"]`, levels(i));
    await page.click('form[action$="/assessments"] button[type="submit"]');
    await page.waitForURL(/\/assessments$/);
  };
  // The day it was given: today by default; a day to come is refused next to the field.
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
  const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86400000).toISOString().slice(0, 10);
  await page.goto(`${trajectory}/assessments/new?perspective=client`);
  assert.equal(await page.inputValue('#date'), today);
  await page.fill('#date', tomorrow);
  await page.selectOption('select[name="level-financien"]', '2');
  await page.click('form[action$="/assessments"] button[type="submit"]');
  await page.waitForSelector('#date-error');
  assert.match(await page.textContent('#date-error'), /in de toekomst/);
  assert.equal(await page.inputValue('#date'), tomorrow, 'the typed day is kept');
  assert.equal(await page.inputValue('select[name="level-financien"]'), '2', 'levels kept');
  assert.deepEqual(await seriousViolations(page), [], 'the date message is accessible');
  await record_view('client', (i) => (i === 0 ? '2' : '4'));
  await record_view('professional', (i) => (i === 0 ? '4' : '4'));
  const flagged = await page.$$eval('tr.flagged th', (cells) => cells.map((c) => c.textContent.trim()));
  assert.deepEqual(flagged, ['Financiën']);
  assert.match(await page.textContent('tr.flagged'), /schat de cliënt 2 niveaus hoger in/);
  assert.equal(await page.locator('.chart-wrap svg[role="img"]').count(), 1);
  assert.deepEqual(await seriousViolations(page), []);
  await page.goto(`${trajectory}/assessments/new?perspective=professional`);
  assert.deepEqual(await seriousViolations(page), [], 'the assessment form');
  await page.goto(`${trajectory}/activities`);
  assert.deepEqual(await seriousViolations(page), [], 'the daily activities form');
  await page.goto(`${record}/network`);
  assert.deepEqual(await seriousViolations(page), [], 'the network page');

  await page.goto(record);
  assert.match(await page.textContent('main'), /Traject vanaf .* — Vraagverheldering/);

  // The whole number finds the client again.
  await page.goto(`${regie.url}/clients?q=123456782`);
  assert.match(await page.textContent('#client-results'), /Mevrouw T. Hoekstra/);
  await context.close();
});
