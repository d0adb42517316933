// The reader's language is kept on the account, and the server writes in it. owner005 switches
// the app to English in the settings: the pact vote's notice and its public record, the timeline
// of their concern and a refused password change come in English. The secretary picks English on
// the sign-in page, is refused a wrong password in English, and reads the audit trail in English.
// Then owner005 signs in on another phone, which takes up English from the account, and both
// switch back to Chinese and read the same in Chinese. Titles and names are shown as written, in
// either language.
import { BASE_URL, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'reader-language: notices, timeline, errors and audit trail in the language saved on the account'

const OWNER = 'owner005'
/** The demo's pact vote: its title is user content, the same in both languages. */
const VOTE_TITLE = '《太阳城二期文明养犬公约》表决'
/** owner005's concern about the garbage outside the north gate, routed to the property company. */
const CONCERN = '生活垃圾堆放'
const CJK = /[\u3400-\u9fff]/
/** A lowercase English word standing alone: part of a sentence, not a key such as `vote.published`. */
const WORD = /(^|\s)[a-z]{3,}(\s|$)/m
const chinese = (text) => CJK.test(text) && !WORD.test(text)

const LANGUAGES = {
  en: {
    sentence: (text) => WORD.test(text),
    notice: (text) => !CJK.test(text) && /\bvote\b/i.test(text),
    routed: /\brouted\b/i,
    wrongPassword: (text) => /not your current password/i.test(text),
  },
  'zh-CN': {
    sentence: chinese,
    notice: chinese,
    routed: /转/,
    wrongPassword: (text) => CJK.test(text) && !/password/i.test(text),
  },
}

/** Opens a fresh phone, runs `fn`, and fails on console errors other than the refusals the steps provoke. */
async function onPhone(label, fn) {
  const { page, errors, close } = await openBrowser()
  try {
    await fn(page)
    const unexpected = errors.filter((e) => !/status of (401|422)/.test(e))
    assert(unexpected.length === 0, unexpected.join('\n'))
  } catch (e) {
    await screenshot(page, `reader-language-${label}-failed`).catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}

async function htmlLang(page, locale) {
  await page.waitForFunction((l) => document.documentElement.lang === l, locale)
}

/** Chooses the language in the settings, unless it is the app's already, and waits until the account keeps it. */
async function chooseLanguage(page, locale) {
  await page.getByTestId('tab-settings').click()
  await page.waitForURL(/\/settings$/)
  if ((await page.evaluate(() => document.documentElement.lang)) === locale) return
  const saved = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/me/language') && r.request().method() === 'PUT' && r.request().postDataJSON()?.language === locale,
  )
  await page.getByTestId(`locale-${locale}`).click()
  const res = await saved
  assert(res.status() === 204, `saving the language ${locale} answered ${res.status()}`)
  await htmlLang(page, locale)
}

async function readNotice(page, locale) {
  await page.getByTestId('tab-inbox').click()
  const item = page.getByTestId('inbox-item').filter({ hasText: VOTE_TITLE }).first()
  await item.waitFor()
  const text = (await item.innerText()).replaceAll(VOTE_TITLE, '')
  assert(LANGUAGES[locale].notice(text), `the vote notice is not in ${locale}: ${JSON.stringify(text)}`)
  await readVoteRecord(page, item, locale)
}

/** The notice leads to the vote, whose public record tells each step in the reader's language. */
async function readVoteRecord(page, item, locale) {
  await item.click()
  await page.waitForURL(/\/votes\/\d+$/)
  await page.getByTestId('vote-log').locator('.van-collapse-item__title').click()
  await page.getByTestId('vote-log-text').first().waitFor()
  for (const text of await page.getByTestId('vote-log-text').allInnerTexts()) {
    assert(CJK.test(text) === (locale === 'zh-CN'), `a step of the vote's record is not in ${locale}: ${JSON.stringify(text)}`)
  }
  await page.goBack()
  await page.waitForURL(/\/inbox$/)
}

async function readTimeline(page, locale) {
  await page.getByTestId('tab-home').click()
  await page.locator('[data-testid^="home-concerns-"]').first().click()
  await page.waitForURL(/\/compounds\/\d+\/concerns$/)
  await page.getByTestId('concern-row').filter({ hasText: CONCERN }).first().click()
  await page.waitForURL(/\/concerns\/\d+$/)
  const routed = page.locator('[data-testid="timeline-step"][data-step="routed"] [data-testid="timeline-text"]')
  await routed.waitFor()
  for (const text of await page.getByTestId('timeline-text').allInnerTexts()) {
    assert(LANGUAGES[locale].sentence(text), `a timeline step is not a sentence in ${locale}: ${JSON.stringify(text)}`)
  }
  const line = await routed.innerText()
  assert(LANGUAGES[locale].routed.test(line), `the routing is not told in ${locale}: ${JSON.stringify(line)}`)
}

/** A wrong current password: the server refuses it, in the reader's language, beside the field and in the notice. */
async function refusedPassword(page, locale) {
  await page.getByTestId('tab-settings').click()
  await page.getByTestId('password-current').fill('not-my-password-1')
  await page.getByTestId('password-new').fill('sanfang-new-2026')
  await page.getByTestId('password-confirm').fill('sanfang-new-2026')
  await page.getByTestId('password-submit').click()
  const field = page.getByTestId('password-form').locator('.van-field__error-message').first()
  await field.waitFor()
  const text = await field.innerText()
  assert(LANGUAGES[locale].wrongPassword(text), `the refusal is not in ${locale}: ${JSON.stringify(text)}`)
  const notify = await page.locator('.van-notify').first().innerText()
  assert(notify.includes(text), `the notice does not carry the server's message: ${JSON.stringify(notify)}`)
  await page.locator('.van-notify').first().waitFor({ state: 'hidden' })
}

/** The audit trail's sentences by sequence number. */
async function readAudit(page, locale) {
  await page.getByTestId('tab-home').click()
  await page.getByTestId('community-audit').first().click()
  await page.waitForURL(/\/audit/)
  await page.getByTestId('audit-text').first().waitFor()
  const told = new Map()
  for (const line of await page.getByTestId('audit-text').allInnerTexts()) {
    const [, seq, text] = /^#(\d+)\s+([\s\S]*)$/.exec(line.trim()) ?? []
    assert(seq && LANGUAGES[locale].sentence(text), `an audit event is not a sentence in ${locale}: ${JSON.stringify(line)}`)
    told.set(seq, text)
  }
  return told
}

async function readAsOwner(page, locale) {
  await readNotice(page, locale)
  await readTimeline(page, locale)
  await refusedPassword(page, locale)
  await screenshot(page, `reader-language-owner-${locale}`)
}

export async function run() {
  await onPhone('owner-en', async (page) => {
    await login(page, OWNER)
    await chooseLanguage(page, 'en')
    await readAsOwner(page, 'en')
  })

  await onPhone('secretary', async (page) => {
    // Signed out, the app's language goes with every request: the refusal comes in English.
    await page.goto(`${BASE_URL}/login`)
    await page.getByTestId('locale-en').click()
    await htmlLang(page, 'en')
    await page.getByTestId('login-input').fill('secretary')
    await page.getByTestId('password-input').fill('not-the-password')
    await page.getByTestId('login-submit').click()
    const refusal = await page.getByTestId('login-error').innerText()
    assert(!CJK.test(refusal) && /password/i.test(refusal), `the sign-in refusal is not in English: ${JSON.stringify(refusal)}`)

    await login(page, 'secretary')
    await chooseLanguage(page, 'en')
    const english = await readAudit(page, 'en')
    await screenshot(page, 'reader-language-audit-en')

    await chooseLanguage(page, 'zh-CN')
    const chinese = await readAudit(page, 'zh-CN')
    const both = [...english.keys()].filter((seq) => chinese.has(seq))
    assert(both.length > 0, 'the two readings of the audit trail share no event')
    for (const seq of both) assert(english.get(seq) !== chinese.get(seq), `event #${seq} reads the same in both languages`)
    await screenshot(page, 'reader-language-audit-zh')
  })

  await onPhone('owner-zh', async (page) => {
    // Another phone, set to Chinese: signing in takes up the account's English.
    await login(page, OWNER)
    await htmlLang(page, 'en')
    await chooseLanguage(page, 'zh-CN')
    await readAsOwner(page, 'zh-CN')
  })
}
