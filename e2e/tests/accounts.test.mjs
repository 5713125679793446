// Accounts and tokens in a real browser (issue 9): an administrator hands out an API token,
// sees it once, revokes it after a confirmation step (no script needed), and the API refuses
// it; the pages pass axe at desktop and tablet width; a password reset signs the user out.
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

async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 }, ...options });
  return context.newPage();
}

test('an administrator creates an API token, sees it once and revokes it after confirming', async () => {
  // axe is injected as a script, which the CSP would rightly block; bypass it for the checks.
  const page = await newPage({ bypassCSP: true });
  await login(page, regie.url, 'admin');
  await page.waitForURL(`${regie.url}/`);
  await page.click('nav >> text=API-sleutels');
  await page.waitForURL(`${regie.url}/admin/tokens`);
  const problems = { '/admin/tokens': await seriousViolations(page) };

  await page.click('form[action="/admin/tokens"] button[type="submit"]');
  await page.waitForSelector('#user-error');
  assert.match(await page.textContent('#user-error'), /Kies een actieve gebruiker/);
  problems['/admin/tokens (errors)'] = await seriousViolations(page);

  await page.selectOption('#user', { label: 'Marieke de Vries (coordinator)' });
  await page.fill('#label', 'Roosterkoppeling');
  await page.click('form[action="/admin/tokens"] button[type="submit"]');
  const secret = await page.inputValue('#new-token');
  assert.match(secret, /^regie_[0-9a-f]{64}$/);
  problems['/admin/tokens (created)'] = await seriousViolations(page);
  const me = () => page.request.get(`${regie.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal((await me()).status(), 200);

  await page.goto(`${regie.url}/admin/tokens`);
  assert.equal(await page.locator('#new-token').count(), 0, 'shown only once');
  await page.click('a[href$="/revoke"]');
  await page.waitForSelector('text=Wilt u de API-sleutel “Roosterkoppeling” van Marieke de Vries intrekken?');
  problems['/admin/tokens/…/revoke'] = await seriousViolations(page);
  assert.equal((await me()).status(), 200, 'asking changes nothing');
  // Keyboard only: the confirmation button is reachable and works with Enter.
  await page.focus('button.danger');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/admin\/tokens\?revoked=/);
  assert.match(await page.textContent('.notice'), /is ingetrokken/);
  assert.equal((await me()).status(), 401);

  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`${regie.url}/admin/tokens`);
  problems['/admin/tokens (768 px)'] = await seriousViolations(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 768, `no sideways scrolling of the page at 768 px (${width})`);
  for (const [path, list] of Object.entries(problems)) {
    assert.deepEqual(list, [], `${path}: ${list.join('; ')}`);
  }
  await page.context().close();
});

test('a password reset by an administrator signs the user out in their browser', async () => {
  const nurse = await newPage();
  await login(nurse, regie.url, 'verzorgende');
  await nurse.waitForURL(`${regie.url}/`);

  const admin = await newPage();
  await login(admin, regie.url, 'admin');
  await admin.waitForURL(`${regie.url}/`);
  await admin.goto(`${regie.url}/admin/users`);
  await admin.click('text=Sandra Bakker');
  await admin.fill('#new-password', 'een heel nieuw wachtwoord');
  await admin.click('form[action$="/password"] button[type="submit"]');
  await admin.waitForSelector('.notice');
  assert.match(await admin.textContent('.notice'), /overal uitgelogd/);

  await nurse.goto(`${regie.url}/clients`);
  await nurse.waitForURL(/\/login\?next=/);
  await login(nurse, regie.url, 'verzorgende', 'een heel nieuw wachtwoord');
  await nurse.waitForURL(`${regie.url}/`);
  await nurse.context().close();
  await admin.context().close();
});
