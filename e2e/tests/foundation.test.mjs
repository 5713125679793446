// The foundation's main flows in a real browser: sign in, switch language, fail a login,
// sign out; access refused off the team; keyboard, tablet width, CSP and accessibility.
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

test('coordinator signs in in Dutch, switches to English, and the choice is remembered', async () => {
  const page = await newPage();
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.match(await page.textContent('h1'), /Welkom, Marieke de Vries/);

  await page.click('button[name="lang"][value="en"]');
  await page.waitForSelector('html[lang="en"]');
  assert.match(await page.textContent('h1'), /Welcome, Marieke de Vries/);
  await page.reload();
  assert.match(await page.textContent('h1'), /Welcome/);

  await page.click('text=Sign out');
  await page.waitForURL(/\/login$/);
  assert.match(await page.textContent('h1'), /Sign in/);

  // A new browser (preferring Dutch) gets English after signing in: stored for the user.
  const other = await newPage();
  await login(other, regie.url, 'coordinator');
  await other.waitForURL(`${regie.url}/`);
  assert.match(await other.textContent('h1'), /Welcome/);
  await other.click('button[name="lang"][value="nl"]');
  await other.waitForSelector('html[lang="nl"]');
  await other.context().close();
  await page.context().close();
});

test('a failed login explains in Dutch and keeps the user name', async () => {
  const page = await newPage();
  await login(page, regie.url, 'verzorgende', 'helemaal-fout');
  await page.waitForSelector('#login-error');
  assert.match(await page.textContent('#login-error'), /klopt niet/);
  assert.equal(await page.inputValue('#username'), 'verzorgende');
  assert.equal(await page.inputValue('#password'), '');
  await page.context().close();
});

test('a professional off the team is refused a client of another team', async () => {
  const page = await newPage();
  await login(page, regie.url, 'verzorgende');
  await page.waitForURL(`${regie.url}/`);
  await page.goto(`${regie.url}/clients`);
  assert.match(await page.textContent('#client-results'), /15 cliënten/);
  const response = await page.goto(`${regie.url}/clients/16`);
  assert.equal(response.status(), 403);
  assert.match(await page.textContent('h1'), /Geen toegang/);
  await page.context().close();
});

test('live search narrows the client list without leaving the page', async () => {
  const page = await newPage();
  await login(page, regie.url, 'coordinator');
  await page.waitForURL(`${regie.url}/`);
  await page.goto(`${regie.url}/clients`);
  await page.fill('#q', 'jannie');
  await page.waitForFunction(() => document.querySelector('#client-results').textContent.includes('1 cliënt'));
  assert.match(await page.textContent('#client-results'), /Jannie/);
  assert.match(page.url(), /q=jannie/);
  await page.context().close();
});

test('the skip link comes first and the page works by keyboard', async () => {
  const page = await newPage();
  await login(page, regie.url, 'admin');
  await page.waitForURL(`${regie.url}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // Tab onwards reaches the first card link in the content: for the admin, the users.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/admin/users');
  await page.context().close();
});

test('pages fit a 768 px tablet without sideways scrolling', async () => {
  const page = await newPage({ viewport: { width: 768, height: 1024 }, hasTouch: true });
  await login(page, regie.url, 'admin');
  await page.waitForURL(`${regie.url}/`);
  for (const path of ['/', '/admin/users', '/admin/users/new', '/admin/teams', '/login']) {
    await page.goto(`${regie.url}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
  }
  await page.context().close();
});

test('no page breaks its own Content Security Policy', async () => {
  const page = await newPage();
  const violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await login(page, regie.url, 'admin');
  await page.waitForURL(`${regie.url}/`);
  for (const path of ['/', '/clients', '/admin/users', '/admin/audit']) {
    await page.goto(`${regie.url}${path}`);
  }
  assert.deepEqual(violations, []);
  await page.context().close();
});

test('pages have no serious or critical accessibility violations (axe-core, WCAG 2.1 AA)', async () => {
  // axe is injected as a script, which the CSP would rightly block; bypass it for this check only.
  const page = await newPage({ bypassCSP: true });
  await page.goto(`${regie.url}/login`);
  const problems = { '/login': await seriousViolations(page) };
  await login(page, regie.url, 'verzorgende', 'fout-wachtwoord');
  await page.waitForSelector('#login-error');
  problems['/login (error)'] = await seriousViolations(page);
  await login(page, regie.url, 'admin');
  await page.waitForURL(`${regie.url}/`);
  for (const path of ['/', '/clients', '/admin/users', '/admin/users/new', '/admin/teams', '/admin/audit', '/clients/1', '/bestaat-niet']) {
    await page.goto(`${regie.url}${path}`);
    problems[path] = await seriousViolations(page);
  }
  await page.goto(`${regie.url}/admin/users/new`);
  await page.click('form[action="/admin/users/new"] button[type="submit"]');
  await page.waitForSelector('.field-error');
  problems['/admin/users/new (errors)'] = await seriousViolations(page);
  for (const [path, list] of Object.entries(problems)) {
    assert.deepEqual(list, [], `${path}: ${list.join('; ')}`);
  }
  await page.context().close();
});
