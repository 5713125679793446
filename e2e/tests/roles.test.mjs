// Who may do what, in a real browser (issue 9): a team lead states a reason before a record
// opens; two colleagues edit the same agreement and the second sees what the first changed;
// the coordinator changes the teams around a client on a page of its own; an analyst's menu
// holds only what they may open; a care worker says an activity was not part of the visit.
// axe-core checks each page.
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

async function signedIn(username, width = 1280) {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await login(page, regie.url, username);
  await page.waitForURL(`${regie.url}/`);
  return page;
}

/// The path of a client's record, found through the coordinator's list.
async function recordOf(name) {
  const page = await signedIn('coordinator');
  await page.goto(`${regie.url}/clients?q=${encodeURIComponent(name)}`);
  const href = await page.getAttribute(`main a[href^="/clients/"]:has-text("${name}")`, 'href');
  await page.context().close();
  return href;
}

test('a team lead opens a record only after stating a reason', async () => {
  const record = await recordOf('Gerrit');
  const page = await signedIn('teamleider', 768);
  await page.goto(`${regie.url}${record}`);
  assert.match(await page.textContent('main'), /Waarom opent u dit dossier\?/);
  assert.doesNotMatch(await page.textContent('main'), /Wast alleen de rug/, 'nothing of the record shows');
  assert.deepEqual(await seriousViolations(page), []);
  await page.fill('#reason', 'kijken');
  await page.click('main form button[type="submit"]');
  await page.waitForSelector('#reason-error');
  assert.match(await page.textContent('#reason-error'), /minstens 10 tekens/);
  assert.equal(await page.inputValue('#reason'), 'kijken', 'input kept');
  assert.deepEqual(await seriousViolations(page), [], 'the form with its message is accessible');
  await page.fill('#reason', 'Overdracht coördinatie regelen wegens ziekte');
  await page.click('main form button[type="submit"]');
  await page.waitForURL(`${regie.url}${record}`);
  assert.match(await page.textContent('main'), /U heeft dit dossier geopend met een reden/);
  assert.match(await page.textContent('main'), /Wast alleen de rug/);
  assert.deepEqual(await seriousViolations(page), []);

  // The coordinator sees who opened the record, and why.
  const coordinator = await signedIn('coordinator');
  await coordinator.goto(`${regie.url}${record}`);
  assert.match(await coordinator.textContent('main'), /Geopend met een reden[\s\S]*Hanneke Bos[\s\S]*Overdracht coördinatie regelen wegens ziekte/);
  await coordinator.context().close();
  await page.context().close();
});

test('the second of two colleagues editing one agreement sees what the first changed', async () => {
  const record = await recordOf('Gerrit');
  const marieke = await signedIn('coordinator');
  const sandra = await signedIn('verzorgende', 768);
  await marieke.goto(`${regie.url}${record}`);
  const plan = await marieke.getAttribute('main a[href$="/plan"]', 'href');
  const form = `${regie.url}${plan}/agreements?activity=wassen`;
  await marieke.goto(form);
  await sandra.goto(form);

  await sandra.fill('#client_does', 'Wast zich zittend; de zorg wast alleen de rug.');
  await sandra.click('main form button[type="submit"]');
  await sandra.waitForURL(/\/plan#agreement-wassen$/);

  await marieke.fill('#client_does', 'Mijn eigen tekst, die ik niet kwijt wil.');
  await marieke.click('main form button[type="submit"]');
  await marieke.waitForSelector('.meanwhile');
  const alert = await marieke.textContent('[role="alert"]');
  assert.match(alert, /Niet opgeslagen: iemand anders heeft dit intussen gewijzigd/);
  assert.match(alert, /Versie 4 \(Sandra Bakker, [\s\S]*Wassen/);
  assert.equal(await marieke.inputValue('#client_does'), 'Mijn eigen tekst, die ik niet kwijt wil.', 'input kept');
  assert.deepEqual(await seriousViolations(marieke), []);
  // Saving again, knowingly, goes through.
  await marieke.click('main form button[type="submit"]');
  await marieke.waitForURL(/\/plan#agreement-wassen$/);
  assert.match(await marieke.textContent('#agreements'), /Mijn eigen tekst, die ik niet kwijt wil\./);
  await marieke.context().close();
  await sandra.context().close();
});

test('the coordinator changes the teams around a client; a core-team colleague cannot', async () => {
  const record = await recordOf('Jannie');
  const sandra = await signedIn('verzorgende');
  await sandra.goto(`${regie.url}${record}`);
  assert.equal(await sandra.locator('a[href$="/teams"]').count(), 0, 'not offered to her');
  await sandra.goto(`${regie.url}${record}/teams`);
  assert.match(await sandra.textContent('main'), /alleen de coördinator/);
  await sandra.context().close();

  const page = await signedIn('coordinator', 768);
  await page.goto(`${regie.url}${record}`);
  await page.click('a[href$="/teams"]');
  await page.waitForURL(/\/teams$/);
  assert.deepEqual(await seriousViolations(page), []);
  // By keyboard: the second team's box, then save.
  await page.focus('#team-2');
  await page.keyboard.press('Space');
  assert.equal(await page.isChecked('#team-2'), true);
  await page.click('main form button[type="submit"]');
  await page.waitForURL(`${regie.url}${record}`);
  assert.match(await page.textContent('main'), /Wijkteam Noord[\s\S]*Wijkteam Zuid/);
  await page.context().close();
});

test("an analyst's menu holds only what an analyst may open", async () => {
  const page = await signedIn('analist');
  const links = await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['/', '/aids']);
  for (const link of links) {
    const response = await page.goto(`${regie.url}${link}`);
    assert.equal(response.status(), 200, link);
  }
  assert.deepEqual(await seriousViolations(page), []);
  await page.context().close();
});

test('an agreed activity not part of the visit is said so, not skipped', async () => {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 768, height: 1024 }, hasTouch: true, bypassCSP: true });
  const page = await context.newPage();
  await login(page, regie.url, 'verzorgende');
  await page.waitForURL(`${regie.url}/`);
  await page.click('nav a[href="/visits"]');
  await page.click('li:has-text("Gerrit") a.big-button');
  await page.waitForURL(/\/visits\/new$/);
  await page.tap('label[for="level-wassen-1"]');
  await page.fill('#minutes', '20');
  await page.tap('button.big-button');
  await page.waitForSelector('#level-aankleden-error');
  assert.match(await page.textContent('#level-aankleden-error'), /niet gedaan bij dit bezoek/);
  assert.equal(await page.isChecked('#level-wassen-1'), true, 'taps kept');
  assert.deepEqual(await seriousViolations(page), []);
  await page.tap('label[for="level-aankleden-not-done"]');
  await page.tap('button.big-button');
  await page.waitForURL(/\/visits\?saved=1$/);
  await context.close();
});
