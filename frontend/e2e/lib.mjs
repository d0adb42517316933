// Shared helpers for the browser scenarios: one fresh Chromium profile per scenario.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'sanfang-demo'
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'shots')

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Opens a browser with a throwaway profile. Console errors and uncaught page
 * errors are collected in `errors` (a missing favicon is not an error).
 */
export async function openBrowser({ viewport = { width: 390, height: 844 }, locale = 'zh-CN' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'sanfang-e2e-'))
  const context = await launch(profile, { viewport, locale })
  const page = context.pages()[0] ?? (await context.newPage())
  page.setDefaultTimeout(15_000)
  const errors = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const url = msg.location()?.url ?? ''
    if (/favicon/.test(url) || /favicon/.test(msg.text())) return
    errors.push(`console: ${msg.text()}${url ? ` (${url})` : ''}`)
  })
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`))
  async function close() {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return { context, page, errors, close }
}

/**
 * Starts Chromium on `profile`. A browser that dies while starting (it happens on a loaded
 * machine, before any page is open) is started again, twice at most, and the retry is
 * printed; only the start is retried, never a scenario's steps.
 */
async function launch(profile, { viewport, locale }, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport,
        locale,
        args: ARGS,
      })
    } catch (e) {
      if (attempt >= attempts) throw e
      const first = String(e instanceof Error ? e.message : e).split('\n')[0]
      console.log(`     chromium did not start (attempt ${attempt} of ${attempts}: ${first}); starting it again`)
      rmSync(profile, { recursive: true, force: true })
      mkdirSync(profile, { recursive: true })
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt))
    }
  }
}

export async function login(page, user, password = DEMO_PASSWORD) {
  await page.goto(`${BASE_URL}/login`)
  await page.getByTestId('login-input').fill(user)
  await page.getByTestId('password-input').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  const path = join(SHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

export function assert(condition, message) {
  if (!condition) throw new Error(message)
}
