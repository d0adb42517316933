// The page-weight budget: the pages an owner opens from a notice, loaded cold (signed in, empty
// cache) on a slow phone line (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up) with the CPU
// slowed four times. Each page fails when it needs more than BUDGET.requests requests (the
// document, scripts, styles, fonts, images and API calls), more than BUDGET.js of gzipped
// JavaScript or more than BUDGET.css of gzipped CSS. The first contentful paint and the time
// until the page's main control shows are printed, never asserted: they depend on the machine.
// Runs against BASE_URL (a server started with --demo) and ends with "N passed, N failed".
//
//   node e2e/budget.mjs
//   BUDGET_LIST=1 node e2e/budget.mjs     (also lists each page's requests, in the order sent, with
//                                          when each was sent and finished, in ms from the first)
import { gzipSync } from 'node:zlib'
import { BASE_URL, CHROMIUM, DEMO_PASSWORD, openBrowser } from './lib.mjs'

export const BUDGET = { requests: 15, js: 100 * 1024, css: 25 * 1024 }
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 }
const CPU_SLOWDOWN = 4
const PHONE = { width: 360, height: 640 }

async function api(path, { token, method = 'GET', body } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

const signIn = (login) => api('/auth/login', { method: 'POST', body: { login, password: DEMO_PASSWORD } })
const items = (page) => (Array.isArray(page) ? page : page.items)

/** The three pages, each as an owner of the demo's first compound who sees it. */
async function pages() {
  const owner = await signIn('owner001')
  const compound = (await api('/me', { token: owner.access_token })).memberships.find((m) => m.compound_id)?.compound_id
  const votes = items(await api(`/compounds/${compound}/votes`, { token: owner.access_token }))
  const vote = votes.find((v) => v.status === 'open') ?? votes[0]
  const questionnaires = items(await api(`/compounds/${compound}/questionnaires`, { token: owner.access_token }))
  const questionnaire = questionnaires.find((q) => q.status === 'open') ?? questionnaires[0]
  return [
    // The ballot buttons, or the ballot already cast where this owner has voted.
    { name: 'vote', path: `/votes/${vote.id}`, ready: '[data-testid="go-vote"], [data-testid="my-ballot"]', readyLabel: 'ballot' },
    { name: 'questionnaire', path: `/questionnaires/${questionnaire.id}`, ready: '[data-testid="answer-field"]', readyLabel: 'first question' },
    { name: 'concern form', path: `/compounds/${compound}/concerns/new`, ready: '[data-testid="concern-submit"]', readyLabel: 'submit' },
  ].map((p) => ({ ...p, tokens: owner }))
}

/** Loads `entry` cold under the slow profile; answers what it took. */
async function measure(entry) {
  const { context, page, errors, close } = await openBrowser({ viewport: PHONE, locale: 'zh-CN' })
  try {
    await context.addInitScript((tokens) => {
      localStorage.setItem('sanfang.access_token', tokens.access_token)
      localStorage.setItem('sanfang.refresh_token', tokens.refresh_token)
    }, entry.tokens)
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
    await cdp.send('Network.emulateNetworkConditions', NETWORK)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })

    const requests = new Map()
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.startsWith('data:')) return
      requests.set(e.requestId, { url: e.request.url, type: e.type, headerBytes: 0, bytes: 0, encoded: false, done: false, sent: e.timestamp })
    })
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId)
      if (!r) return
      r.type = e.type
      r.headerBytes = e.response.encodedDataLength ?? 0
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]))
      r.encoded = Boolean(headers['content-encoding'])
    })
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId)
      if (!r) return
      r.bytes = Math.max(0, e.encodedDataLength - r.headerBytes)
      r.done = true
      r.finished = e.timestamp
      r.id = e.requestId
    })

    const started = Date.now()
    await page.goto(`${BASE_URL}${entry.path}`)
    await page.locator(entry.ready).first().waitFor({ state: 'visible', timeout: 60_000 })
    const readyAt = await page.evaluate(() => performance.now())
    await page.waitForLoadState('networkidle', { timeout: 60_000 })
    // Whatever the page loads once it has painted (charts, the other half of a split chunk) counts too.
    await page.waitForTimeout(1500)
    await page.waitForLoadState('networkidle', { timeout: 60_000 })
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null)

    let js = 0
    let css = 0
    for (const r of requests.values()) {
      if (r.type !== 'Script' && r.type !== 'Stylesheet') continue
      let bytes = r.bytes
      if (!r.encoded && r.done) {
        // Not compressed on the wire: count it as the server's gzip would send it.
        const body = await cdp.send('Network.getResponseBody', { requestId: r.id }).catch(() => null)
        if (body) bytes = gzipSync(Buffer.from(body.body, body.base64Encoded ? 'base64' : 'utf8')).length
      }
      if (r.type === 'Script') js += bytes
      else css += bytes
    }
    return { requests: [...requests.values()], js, css, fcp, ready: readyAt, wall: Date.now() - started, errors: [...errors] }
  } finally {
    await close()
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const secs = (ms) => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`)

console.log(`page weight: ${BUDGET.requests} requests, ${kb(BUDGET.js)} JS and ${kb(BUDGET.css)} CSS gzipped at most, against ${BASE_URL} with ${CHROMIUM}`)
let passed = 0
let failed = 0
for (const entry of await pages()) {
  let problems = []
  try {
    const m = await measure(entry)
    const kinds = {}
    for (const r of m.requests) kinds[r.type ?? 'Other'] = (kinds[r.type ?? 'Other'] ?? 0) + 1
    const byKind = Object.entries(kinds).map(([k, n]) => `${n} ${k.toLowerCase()}`).join(', ')
    const t0 = m.requests[0]?.sent ?? 0
    const at = (t) => (t == null ? '   …' : `${Math.round((t - t0) * 1000)}`.padStart(5))
    if (process.env.BUDGET_LIST) for (const r of m.requests) console.log(`    ${at(r.sent)} → ${at(r.finished)} ms  ${r.type ?? 'Other'} ${r.url}`)
    console.log(`  ${entry.name} (${entry.path}): ${m.requests.length} requests (${byKind}), JS ${kb(m.js)}, CSS ${kb(m.css)}; first paint ${secs(m.fcp)}, ${entry.readyLabel} ${secs(m.ready)}`)
    if (m.requests.length > BUDGET.requests) problems.push(`${m.requests.length} requests, over ${BUDGET.requests}:\n${m.requests.map((r) => `        ${r.type} ${r.url.replace(BASE_URL, '')}`).join('\n')}`)
    if (m.js > BUDGET.js) problems.push(`JS ${kb(m.js)} gzipped, over ${kb(BUDGET.js)}`)
    if (m.css > BUDGET.css) problems.push(`CSS ${kb(m.css)} gzipped, over ${kb(BUDGET.css)}`)
    problems.push(...m.errors)
  } catch (e) {
    problems = [String(e instanceof Error ? e.message : e)]
  }
  if (problems.length) {
    failed++
    console.log(`FAIL ${entry.name}\n${problems.map((p) => `     ${p}`).join('\n')}`)
  } else {
    passed++
    console.log(`ok   ${entry.name}`)
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
