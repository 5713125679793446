// Building a plan in the browser (issue 4): add a colleague to the core team, write a goal in
// the client's words, add an intervention, write an agreement with graded steps, and open the
// printed plan. Every page passes axe-core's WCAG 2.1 AA rules; a colleague sees the same
// agreement first on the client's page.
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

async function optionValue(page, select, labelPart) {
  return page.$eval(select, (el, part) => {
    const option = [...el.options].find((o) => o.textContent.includes(part));
    if (!option) throw new Error(`no option with ${part}`);
    return option.value;
  }, labelPart);
}

test('a coordinator builds a plan with the client and a colleague sees the agreement', async () => {
  const page = await newPage(768);
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  await page.goto(`${regie.url}/clients?q=Henk`);
  await page.click('text=Vermeulen');
  await page.waitForURL(/\/clients\/\d+$/);
  const record = page.url();
  await page.click('.list a[href^="/trajectories/"]');
  await page.waitForURL(/\/trajectories\/\d+$/);
  const trajectory = page.url();

  // The core team: add the ergotherapist from another team, with how to reach him.
  await page.click('main a[href^="/trajectories/"][href$="/team"]');
  await page.waitForURL(/\/team$/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.selectOption('#user_id', await optionValue(page, '#user_id', 'Thijs Jansen'));
  await page.fill('#contact', '06 1234 5678 (di en do)');
  await page.click('form[action$="/team"] button[type="submit"]');
  await page.waitForURL(/\/team$/);
  assert.match(await page.textContent('table'), /Thijs Jansen[\s\S]*Ergotherapeut[\s\S]*06 1234 5678/);

  // A goal in the client's own words; a mistake first.
  await page.goto(`${trajectory}/plan`);
  assert.match(await page.textContent('main'), /Er is nog geen plan/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.click('text=Doel toevoegen');
  await page.waitForURL(/\/plan\/goals$/);
  await page.fill('#importance', '12');
  await page.click('form[action$="/plan/goals"] button[type="submit"]');
  await page.waitForSelector('#words-error');
  assert.equal(await page.inputValue('#importance'), '12', 'input kept');
  assert.deepEqual(await seriousViolations(page), [], 'the goal form with messages is accessible');
  await page.fill('#words', 'Ik wil zelf weer douchen, op mijn eigen tijd.');
  await page.fill('#importance', '9');
  await page.fill('#performance', '3');
  await page.check('#act-wassen');
  await page.click('form[action$="/plan/goals"] button[type="submit"]');
  await page.waitForURL(/\/plan#goal-1$/);
  assert.match(await page.textContent('#goal-1'), /Ik wil zelf weer douchen, op mijn eigen tijd\./);

  // An intervention from the catalogue, carried out by the ergotherapist.
  await page.click('#goal-1 a[href$="/goals/1/interventions"]');
  await page.waitForURL(/\/interventions$/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.selectOption('#catalogue_id', await optionValue(page, '#catalogue_id', 'Hulpmiddelen adviseren'));
  await page.selectOption('#responsible', await optionValue(page, '#responsible', 'Thijs Jansen'));
  await page.fill('#frequency', '2 keer, daarna op afroep');
  await page.click('form[action$="/interventions"] button[type="submit"]');
  await page.waitForURL(/\/plan#goal-1$/);
  assert.match(await page.textContent('#goal-1'), /Hulpmiddelen adviseren en aanleren[\s\S]*Thijs Jansen/);

  // The agreement for washing, with graded steps and an aid.
  await page.selectOption('#new-agreement', 'wassen');
  await page.click('form[action$="/plan/agreements"] button[type="submit"]');
  await page.waitForURL(/\/plan\/agreements\?activity=wassen$/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.check('#support-1');
  await page.fill('#client_does', 'Wast gezicht, armen en benen zelf, zittend op de douchestoel.');
  await page.fill('#team_does', 'Alleen de rug wassen, de rest doet meneer zelf.');
  await page.fill('#step-0', 'Eerst alleen de armen wassen');
  await page.fill('#step-1', 'Daarna ook de benen');
  await page.check('#current-0');
  await page.check('label:has-text("Douchestoel") >> xpath=preceding-sibling::input');
  await page.click('form[action$="/plan/agreements"] button[type="submit"]');
  await page.waitForURL(/\/plan#agreement-wassen$/);
  const agreement = await page.textContent('#agreement-wassen');
  assert.match(agreement, /Alleen de rug wassen, de rest doet meneer zelf\./);
  assert.match(agreement, /Eerst alleen de armen wassen \(nu\)/);
  assert.match(agreement, /Douchestoel/);
  assert.deepEqual(await seriousViolations(page), [], 'the plan page is accessible');

  // Three versions, and the printed plan for the client.
  await page.click('text=Versies');
  await page.waitForURL(/\/plan\/versions$/);
  assert.match(await page.textContent('main'), /Versie 3/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.goto(`${trajectory}/plan/print`);
  const sheet = await page.textContent('main');
  assert.ok(sheet.indexOf('Mijn doelen') < sheet.indexOf('Wat ik zelf doe') && sheet.indexOf('Wat ik zelf doe') < sheet.indexOf('Mijn team'));
  assert.match(sheet, /Ik wil zelf weer douchen/);
  assert.match(sheet, /06 1234 5678 \(di en do\)/);
  assert.deepEqual(await seriousViolations(page), [], 'the printed plan is accessible');

  // A colleague on the team sees the same agreement, first thing on the client's page.
  const colleague = await newPage(768);
  await login(colleague, regie.url, 'verzorgende');
  await colleague.waitForURL(`${regie.url}/`);
  await colleague.goto(record);
  const first = await colleague.textContent('main section');
  assert.match(first, /Afspraken per dagelijkse activiteit/);
  assert.match(first, /Alleen de rug wassen, de rest doet meneer zelf\./);
  assert.deepEqual(await seriousViolations(colleague), []);
});

test('aids and the catalogue pages are accessible and searchable', async () => {
  const page = await newPage();
  await login(page, regie.url, 'admin');
  await page.waitForURL(`${regie.url}/`);
  await page.goto(`${regie.url}/aids?activity=wassen`);
  assert.match(await page.textContent('main'), /Douchestoel/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.goto(`${regie.url}/admin/catalogue`);
  assert.match(await page.textContent('main'), /Motiverende gespreksvoering/);
  assert.deepEqual(await seriousViolations(page), []);
  await page.goto(`${regie.url}/admin/aids/new`);
  assert.deepEqual(await seriousViolations(page), []);
});
