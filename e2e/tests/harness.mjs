// Starts the real `regie` binary with demo data on a fresh embedded database, and launches
// Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
const BINARY = process.env.REGIE_BIN || join(here, '..', '..', 'target', 'debug', 'regie');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function startRegie() {
  if (!existsSync(BINARY)) throw new Error(`no regie binary at ${BINARY}: run 'cargo build' first`);
  const data = mkdtempSync(join(tmpdir(), 'regie-e2e-'));
  const child = spawn(BINARY, ['serve', '--demo', '--addr', '127.0.0.1:0'], {
    env: { ...process.env, REGIE_DATA: data, REGIE_DATABASE_URL: '', RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`regie did not start: ${seen}`)), 30000);
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString();
      const match = seen.match(/Regie draait op (http:\/\/\S+?)\/? /);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => reject(new Error(`regie exited with ${code}: ${seen}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export async function login(page, base, username, password = 'regie-demo') {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('form[action="/login"] button[type="submit"]');
}

// Runs axe-core's WCAG 2.1 A/AA rules and returns the serious and critical violations.
export async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
