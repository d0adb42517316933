// Stored XSS: script tags, onerror handlers and javascript: links are put through the API into
// a vote's title and text, a concern, an agenda's title and description, a comment, a
// questionnaire and a party notice. An owner then opens every page that shows them on a phone:
// nothing runs (window.__xss stays undefined) and each payload is on the page as plain text.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'stored script, onerror and javascript: payloads in votes, concerns, agendas, comments, questionnaires and notices show as text and never run (360×640)'

const SCRIPT = '<script>window.__xss=1</script>'
const IMG = '<img src=x onerror="window.__xss=1">'
const LINK = '[点我查看](javascript:window.__xss=1)'
const TAG = `XSS${Date.now() % 100000}`

async function api(method, path, token, body) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

async function token(login) {
  return (await api('POST', '/auth/login', null, { login, password: DEMO_PASSWORD })).access_token
}

/** Put every payload in through the API; returns the pages that show them. */
async function plant() {
  const [committee, owner, property] = [await token('committee'), await token('owner001'), await token('property')]
  const [community] = await api('GET', '/communities', owner)
  const detail = await api('GET', `/communities/${community.id}`, owner)
  const tyc = detail.compounds.find((c) => c.name === '太阳城二期').id
  const now = Date.now()

  const vote = await api('POST', `/compounds/${tyc}/votes`, committee, {
    title: `${TAG} 表决 ${SCRIPT}`,
    body: `表决说明 ${IMG}\n\n${LINK}\n\n${SCRIPT}`,
    matter: 'covenant',
    form: 'motion',
    opens_at: new Date(now).toISOString(),
    closes_at: new Date(now + 3_600_000).toISOString(),
  })
  await api('POST', `/votes/${vote.id}/publish`, committee, {})

  const categories = await api('GET', `/communities/${community.id}/concern-categories`, owner)
  const concern = await api('POST', `/compounds/${tyc}/concerns`, owner, {
    category_id: categories[0].id,
    text: `${TAG} 诉求 ${SCRIPT} ${IMG} ${LINK}`,
  })

  const agenda = await api('POST', `/compounds/${tyc}/agendas`, committee, {
    title: `${TAG} 议题 ${IMG}`,
    description: `议题说明 ${SCRIPT}\n\n${LINK}\n\n${IMG}`,
  })
  await api('POST', `/agendas/${agenda.id}/comments`, owner, { body: `${TAG} 发言 ${SCRIPT} ${IMG} ${LINK}` })

  const q = await api('POST', `/compounds/${tyc}/questionnaires`, committee, {
    title: `${TAG} 问卷 ${SCRIPT}`,
    description: `问卷说明 ${IMG}\n\n${LINK}`,
    questions: [{ kind: 'text', text: `问题 ${IMG}`, required: false }],
    audience: 'owners',
    answer_per: 'holder',
    results_visibility: 'live',
    opens_at: new Date(now - 60_000).toISOString(),
    closes_at: new Date(now + 3_600_000).toISOString(),
  })
  await api('POST', `/questionnaires/${q.id}/publish`, committee, {})

  await api('POST', `/compounds/${tyc}/notices`, property, {
    party: 'property_company',
    title: `${TAG} 公告 ${SCRIPT}`,
    body: `公告正文 ${IMG}\n\n${LINK}`,
  })

  return [
    [`/votes/${vote.id}`, [SCRIPT, IMG]],
    [`/compounds/${tyc}/votes`, [SCRIPT]],
    [`/concerns/${concern.id}`, [SCRIPT, IMG]],
    [`/compounds/${tyc}/concerns`, []],
    [`/agendas/${agenda.id}`, [SCRIPT, IMG]],
    [`/compounds/${tyc}/agendas`, [IMG]],
    [`/questionnaires/${q.id}`, [SCRIPT, IMG]],
    [`/compounds/${tyc}/questionnaires`, [SCRIPT]],
    [`/compounds/${tyc}/notices`, []],
    ['/inbox', [SCRIPT]],
    ['/', []],
  ]
}

export async function run() {
  const pages = await plant()
  const { page, errors, close } = await openBrowser({ viewport: { width: 360, height: 640 } })
  let current = ''
  const wide = []
  try {
    await login(page, 'owner001')
    for (const [path, shown] of pages) {
      current = path
      await page.goto(`${BASE_URL}${path}`)
      await page.waitForFunction((tag) => document.body.innerText.includes(tag), TAG).catch(() => undefined)
      await page.waitForLoadState('networkidle')
      for (const text of shown) {
        const visible = await page.evaluate((t) => document.body.innerText.includes(t), text)
        assert(visible, `${path}: ${JSON.stringify(text)} is not on the page as text`)
      }
      // No link made from stored Markdown may point at javascript:.
      const links = page.locator('.sf-markdown a')
      for (let i = 0; i < (await links.count()); i++) {
        const href = (await links.nth(i).getAttribute('href')) ?? ''
        assert(!/^\s*javascript:/i.test(href), `${path}: a javascript: link was rendered (${href})`)
      }
      const planted = await page.evaluate(() => ({
        ran: typeof window.__xss !== 'undefined',
        imgs: [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x').length,
        scripts: [...document.scripts].filter((s) => s.textContent.includes('__xss')).length,
        handlers: [...document.querySelectorAll('[onerror]')].length,
      }))
      assert(!planted.ran, `${path}: a stored payload ran (window.__xss is set)`)
      // A long unbroken payload must wrap, not push the page sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      if (overflow > 0) wide.push(`${path} by ${overflow}px`)
      assert(planted.imgs + planted.scripts + planted.handlers === 0, `${path}: payload elements in the DOM ${JSON.stringify(planted)}`)
    }
    current = ''
    assert(wide.length === 0, `pages scroll sideways at 360px: ${wide.join(', ')}`)
    await page.goto(`${BASE_URL}${pages[0][0]}`)
    await page.getByText(SCRIPT).first().waitFor()
    await screenshot(page, 'xss-vote')
    assert((await page.evaluate(() => typeof window.__xss)) === 'undefined', 'a stored payload ran')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, `xss-failed`).catch(() => undefined)
    throw new Error(`${current}: ${e instanceof Error ? e.message : e}`)
  } finally {
    await close()
  }
}
