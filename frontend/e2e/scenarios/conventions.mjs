// A residents' convention, from a template to the consultation report: the committee chair of 太阳城二期 drafts one
// from the template at a desk, adds an article in the editor and opens the consultation; an owner of the compound,
// on a 360×640 phone, comments on one article and proposes new wording for another; the committee adopts the
// amendment with a reason, which makes a new version that the comparison shows; the consultation report (征求意见反馈表)
// lists the amendment as 采纳 with the reason.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'conventions: drafted from a template, consulted on a phone article by article, an amendment adopted, compared and reported'

const DESK = { width: 1366, height: 768 }
const PHONE = { width: 360, height: 640 }

async function api(path, { token, method = 'GET', body } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? null : res.json()
}

const signIn = async (login) => (await api('/auth/login', { method: 'POST', body: { login, password: DEMO_PASSWORD } })).access_token

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 0, `${what} scrolls sideways by ${overflow}px at 360px`)
}

/** The article `n` (0-based) of the convention shown on `page`: its id and its text. */
async function article(page, n) {
  const el = page.getByTestId('convention-article').nth(n)
  return { el, id: await el.getAttribute('data-article'), label: await el.getAttribute('data-label') }
}

export async function run() {
  const stamp = Date.now().toString(36)
  const title = `文明居住公约（${stamp}）`
  const committeeToken = await signIn('committee')
  const compound = (await api('/me', { token: committeeToken })).memberships.find((m) => m.compound_name === '太阳城二期')?.compound_id
  assert(compound, 'the committee chair holds no role in 太阳城二期')
  const ownerMe = await api('/me', { token: await signIn('owner001') })
  assert(
    ownerMe.holdings.some((h) => h.compound_id === compound) || ownerMe.memberships.some((m) => m.compound_id === compound),
    'owner001 is no owner of 太阳城二期',
  )

  const browsers = []
  const open = async (options) => {
    const b = await openBrowser(options)
    browsers.push(b)
    return b
  }
  try {
    // The committee chair starts a residents' convention from the template, previewed chapter by chapter.
    const desk = (await open({ viewport: DESK })).page
    await login(desk, 'committee')
    await desk.goto(`${BASE_URL}/compounds/${compound}/conventions`)
    await desk.getByTestId('convention-new').click()
    await desk.getByTestId('convention-kind-residents').click()
    const preview = desk.locator('[data-testid="template-preview"][data-template="residents"]')
    await preview.waitFor()
    const previewArticles = await preview.getByTestId('convention-article').count()
    assert(previewArticles >= 2, `the template preview shows ${previewArticles} article(s)`)
    await desk.getByTestId('convention-title').fill(title)
    await desk.getByTestId('convention-create').click()
    await desk.waitForURL(/\/conventions\/\d+\/edit$/)
    const id = Number(new URL(desk.url()).pathname.split('/')[2])

    // In the editor the articles are numbered as they stand; one is added after the last, renumbered live.
    const editorArticles = desk.getByTestId('editor-article')
    await editorArticles.first().waitFor()
    const count = await editorArticles.count()
    assert((await editorArticles.first().getAttribute('data-label')) === '第一条', 'the first article is not numbered 第一条')
    await editorArticles.last().getByTestId('editor-article-add').click()
    await desk.locator('[data-testid="editor-article"]').nth(count).waitFor()
    const added = desk.getByTestId('editor-article').nth(count)
    assert((await added.getAttribute('data-article')) === 'new', 'the new article has an id before it is saved')
    const addedLabel = await added.getAttribute('data-label')
    await added.locator('textarea').fill('本公约自公布之日起施行，由业主委员会负责解释。')
    await desk.getByTestId('editor-reason').fill('增加施行日期')
    await desk.getByTestId('editor-save').click()
    await desk.waitForURL((url) => url.pathname === `/conventions/${id}`)
    await desk.locator('.sf-convention[data-version="2"][data-phase="drafting"]').waitFor()
    assert((await desk.getByTestId('convention-article').last().getAttribute('data-label')) === addedLabel, `the added article is not ${addedLabel}`)

    // The consultation opens now, for two weeks.
    await desk.getByTestId('convention-consult').click()
    await desk.getByTestId('consult-submit').click()
    await desk.locator('.sf-convention[data-phase="consulting"]').waitFor()
    await desk.getByTestId('convention-period').waitFor()

    // An owner reads it on a phone: comments on the first article and proposes new wording for the second.
    const phoneBrowser = await open({ viewport: PHONE })
    const phone = phoneBrowser.page
    await login(phone, 'owner001')
    await phone.goto(`${BASE_URL}/conventions/${id}`)
    await phone.locator('.sf-convention[data-phase="consulting"]').waitFor()
    await phone.getByTestId('convention-open-note').waitFor()
    await noSidewaysScroll(phone, 'the convention under consultation')
    const first = await article(phone, 0)
    await first.el.getByTestId('article-comment').click()
    await phone.getByTestId('convention-write-text').fill('建议写明公约适用于小区内所有住户和租户。')
    await phone.getByTestId('convention-write-submit').click()
    await phone.getByTestId('convention-write-sheet').waitFor({ state: 'hidden' })
    const second = await article(phone, 1)
    await second.el.getByTestId('article-amend').click()
    const wording = phone.getByTestId('convention-write-wording')
    const before = await wording.inputValue()
    assert(before.length > 0, 'the amendment does not start from the article as it reads')
    const proposed = `${before.replace(/。$/, '')}，并在小区公告栏长期公示。`
    await wording.fill(proposed)
    await phone.getByTestId('convention-write-text').fill('公示后大家都能看到，便于监督。')
    await phone.getByTestId('convention-write-submit').click()
    await phone.getByTestId('convention-write-sheet').waitFor({ state: 'hidden' })
    await phone.locator(`[data-testid="convention-article"][data-article="${second.id}"] [data-testid="article-comments-open"][data-count="1"]`).waitFor()
    await noSidewaysScroll(phone, 'the convention with comments')
    await screenshot(phone, 'conventions-owner-phone')

    // The committee answers: adopts the amendment with a reason, which makes version 3.
    await desk.reload()
    await desk.locator(`[data-testid="convention-article"][data-article="${second.id}"] [data-testid="article-comments-open"]`).click()
    const amendment = desk.locator('[data-testid="convention-comment"][data-kind="amendment"][data-status="open"]')
    await amendment.waitFor()
    await amendment.getByTestId('comment-answer-open').click()
    const reason = '采纳：公示有利于住户知晓和监督。'
    await desk.getByTestId('comment-work-reason').fill(reason)
    await desk.getByTestId('comment-work-submit').click()
    await desk.locator('[data-testid="convention-comment"][data-kind="amendment"][data-status="adopted"]').waitFor()
    await desk.getByTestId('sheet-close').click()
    await desk.locator('.sf-convention[data-version="3"]').waitFor()
    const adoptedText = await desk.locator(`[data-testid="convention-article"][data-article="${second.id}"]`).innerText()
    assert(adoptedText.includes('并在小区公告栏长期公示'), 'the adopted wording is not in the text')
    // The comment is answered too, not adopted.
    await desk.locator(`[data-testid="convention-article"][data-article="${first.id}"] [data-testid="article-comments-open"]`).click()
    const comment = desk.locator('[data-testid="convention-comment"][data-kind="comment"][data-status="open"]')
    await comment.getByTestId('comment-answer-open').click()
    await desk.getByTestId('answer-outcome-not_adopted').click()
    await desk.getByTestId('comment-work-reason').fill('第一条已写明适用于小区全体业主和住户。')
    await desk.getByTestId('comment-work-submit').click()
    await desk.locator('[data-testid="convention-comment"][data-kind="comment"][data-status="not_adopted"]').waitFor()
    await desk.getByTestId('sheet-close').click()

    // The owner compares version 2 with version 3 on the phone: one article changed, the others folded away.
    await phone.goto(`${BASE_URL}/conventions/${id}/compare?from=2&to=3`)
    const changed = phone.locator(`[data-testid="compare-entry"][data-change="changed"][data-id="${second.id}"]`)
    await changed.waitFor()
    assert((await changed.getByTestId('diff-inserted').first().innerText()).includes('公告栏'), 'the comparison does not mark the adopted wording')
    assert((await phone.locator('[data-testid="compare-entry"]').count()) === 1, 'the comparison shows more than the one article changed')
    await phone.getByTestId('compare-same-toggle').first().click()
    await noSidewaysScroll(phone, 'the comparison')
    await screenshot(phone, 'conventions-compare-phone')

    // The report: the amendment, 采纳, with the committee's reason; the comment, 不予采纳.
    await desk.goto(`${BASE_URL}/conventions/${id}/report`)
    const row = desk.locator('[data-testid="report-comment"][data-kind="amendment"]')
    await row.waitFor()
    assert((await row.getByTestId('report-outcome').innerText()).trim() === '采纳', 'the report does not list the amendment as 采纳')
    assert((await row.getByTestId('report-answer').innerText()).includes(reason), 'the report does not give the reason')
    assert((await desk.locator('[data-testid="report-comment"][data-kind="comment"][data-status="not_adopted"]').count()) === 1, 'the report does not list the comment')
    assert((await desk.getByTestId('nav-bar').count()) === 0, 'the report shows the app’s header')
    await screenshot(desk, 'conventions-report')
    await desk.emulateMedia({ media: 'print' })
    assert(!(await desk.getByTestId('report-print').isVisible()), 'the print button shows on paper')
    const pdf = await desk.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
    await desk.emulateMedia({ media: 'screen' })
    assert(pdf.subarray(0, 5).toString('latin1') === '%PDF-', 'page.pdf() did not give a PDF')

    for (const b of browsers) assert(b.errors.length === 0, b.errors.join('\n'))
  } catch (e) {
    for (const [i, b] of browsers.entries()) await screenshot(b.page, `conventions-failed-${i}`).catch(() => undefined)
    throw e
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined)
  }
}
