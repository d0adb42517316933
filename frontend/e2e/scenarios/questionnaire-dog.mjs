// Seed 001 on a phone: the owners' committee builds the dog-keeping questionnaire and publishes
// it; three owners answer it (one from the inbox, one after saving a draft); the results page
// shows their answers in charts and counts.
import { BASE_URL, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'committee builds the dog-keeping questionnaire, three owners answer, the chart shows their answers (360×640)'

const PHONE = { viewport: { width: 360, height: 640 } }
const TITLE = `养犬情况调查（E2E ${Date.now() % 100000}）`

/** Fill the text of question `i` and, for choice questions, its options. */
async function fillQuestion(page, i, kind, text, options = []) {
  const editor = page.getByTestId('question-editor').nth(i)
  await editor.getByTestId(`question-kind-${kind}`).click()
  await editor.getByTestId('question-text').fill(text)
  for (let j = 0; j < options.length; j++) {
    if (j >= 2) await editor.getByTestId('option-add').click()
    await editor.getByTestId('option-input').nth(j).fill(options[j])
  }
}

async function build() {
  const { page, errors, close } = await openBrowser(PHONE)
  try {
    await login(page, 'committee')
    await page.getByTestId('compound-open').first().click()
    await page.waitForURL(/\/compounds\/\d+$/)
    await page.getByTestId('compound-questionnaires').click()
    await page.waitForURL(/\/compounds\/\d+\/questionnaires$/)
    await page.getByTestId('questionnaire-new').click()
    await page.waitForURL(/\/questionnaires\/new$/)

    await page.getByTestId('questionnaire-title-input').fill(TITLE)
    await page.getByTestId('questionnaire-description-input').fill('为起草**文明养犬公约**，请每户填写一份。')
    await fillQuestion(page, 0, 'single', '您家是否养犬？', ['养犬', '不养犬'])
    await page.getByTestId('question-add').click()
    await fillQuestion(page, 1, 'multiple', '最希望约束的行为', ['遛犬不拴绳', '粪便不清理', '夜间犬吠'])
    await page.getByTestId('question-add').click()
    await fillQuestion(page, 2, 'text', '其他意见')
    await page.getByTestId('question-add').click()
    await fillQuestion(page, 3, 'rating', '对“出户遛犬须束犬链”的赞同程度')
    // The rating belongs before the comments: move it up one place.
    await page.getByTestId('question-editor').nth(3).getByTestId('question-up').click()
    const second = page.getByTestId('question-editor').nth(2).getByTestId('question-text')
    assert((await second.inputValue()).includes('束犬链'), 'the rating question did not move up')
    // Only the first and the rating must be answered.
    await page.getByTestId('question-editor').nth(1).getByTestId('question-required').click()
    await page.getByTestId('question-editor').nth(3).getByTestId('question-required').click()
    // The editor's preview is the server's rendering of the text, as owners will see it.
    await page.getByTestId('questionnaire-description-input-tab-preview').click()
    await page.getByTestId('questionnaire-description-input-preview').locator('strong').filter({ hasText: '文明养犬公约' }).waitFor()
    await screenshot(page, 'questionnaire-builder')

    await page.getByTestId('questionnaire-save').click()
    await page.waitForURL(/\/questionnaires\/\d+$/)
    assert((await page.getByTestId('questionnaire-status').getAttribute('data-status')) === 'draft', 'the saved questionnaire is not a draft')
    await page.getByTestId('questionnaire-publish').click()
    await page.locator('.van-dialog__confirm').click()
    await page.getByTestId('questionnaire-status').and(page.locator('[data-status="published"]')).waitFor()
    const id = Number(new URL(page.url()).pathname.split('/').pop())
    assert(errors.length === 0, `errors while building: ${errors.join('; ')}`)
    return id
  } finally {
    await close()
  }
}

/** One owner answers: the single choice, the picks, the rating and maybe a comment. */
async function answer(owner, id, { dog, picks, rating, text, viaInbox = false, draftFirst = false, sendEmptyFirst = false }) {
  const { page, errors, close } = await openBrowser(PHONE)
  try {
    await login(page, owner)
    if (viaInbox) {
      await page.getByTestId('tab-inbox').click()
      await page.waitForURL(/\/inbox$/)
      await page.getByTestId('inbox-item').filter({ hasText: TITLE }).first().click()
      await page.waitForURL(new RegExp(`/questionnaires/${id}$`))
    } else {
      await page.goto(`${BASE_URL}/questionnaires/${id}`)
    }
    await page.getByTestId('questionnaire-title').filter({ hasText: TITLE }).waitFor()
    const fields = page.getByTestId('answer-field')
    if (sendEmptyFirst) {
      // Sent blank: the first required question comes into view below the nav bar, marked, and
      // its mark goes once it is answered.
      await page.getByTestId('answer-submit').click()
      await page.locator('[data-testid="answer-field"][data-index="0"] [data-testid="answer-error"]').waitFor()
      await page.waitForTimeout(100)
      const bar = await page.getByTestId('nav-bar').boundingBox()
      const first = await fields.nth(0).boundingBox()
      assert(bar && first && first.y >= bar.y + bar.height && first.y < 640, `the first question is not in view below the nav bar (${first?.y})`)
      await fields.nth(0).getByTestId('answer-option').nth(dog).click()
      await page.locator('[data-testid="answer-field"][data-index="0"] [data-testid="answer-error"]').waitFor({ state: 'detached' })
    }
    const option = fields.nth(0).getByTestId('answer-option').nth(dog)
    const box = await option.boundingBox()
    assert(box && box.height >= 48, `an option is only ${box?.height}px tall`)
    await option.click()
    for (const p of picks) await fields.nth(1).getByTestId('answer-option').nth(p).click()
    if (draftFirst) {
      await page.getByTestId('answer-save-draft').click()
      await page.getByTestId('draft-saved').waitFor()
      // Come back later: the draft is still there.
      await page.reload()
      await page.getByTestId('questionnaire-title').waitFor()
      const kept = await fields.nth(0).getByTestId('answer-option').nth(dog).getAttribute('aria-checked')
      assert(kept === 'true', 'the saved draft did not come back')
    }
    const star = fields.nth(2).getByTestId(`answer-rating-${rating}`)
    const starBox = await star.boundingBox()
    assert(starBox && starBox.height >= 48, `a rating button is only ${starBox?.height}px tall`)
    await star.click()
    if (text) await fields.nth(3).getByTestId('answer-text').fill(text)
    await page.getByTestId('answer-submit').click()
    await page.getByTestId('answer-done').waitFor()
    await screenshot(page, `questionnaire-done-${owner}`)
    await page.getByTestId('done-back').click()
    await page.getByTestId('already-answered').waitFor()
    const top = await page.evaluate(() => document.querySelector('[data-testid="questionnaire-page"] .sf-card')?.getAttribute('data-testid'))
    assert(top === 'already-answered', `the page opens with ${top}, not the answered block`)
    // The home page keeps it, marked answered.
    await page.goto(`${BASE_URL}/`)
    const card = page.getByTestId('questionnaire-card').filter({ hasText: TITLE }).first()
    await card.waitFor()
    assert((await card.getAttribute('data-answered')) === 'true', 'the home card does not mark it answered')
    assert((await card.innerText()).includes('已填写 ✓'), 'the home card does not say 已填写 ✓')
    assert(errors.length === 0, `errors for ${owner}: ${errors.join('; ')}`)
  } finally {
    await close()
  }
}

async function countOf(page, question, option) {
  const row = page.getByTestId('question-result').nth(question).locator(`[data-testid="option-count"][data-option="${option}"]`)
  return Number(await row.getAttribute('data-count'))
}

async function results(id) {
  const { page, errors, close } = await openBrowser(PHONE)
  try {
    await login(page, 'committee')
    await page.goto(`${BASE_URL}/questionnaires/${id}`)
    await page.getByTestId('questionnaire-results').click()
    await page.waitForURL(/\/results$/)
    const rate = page.getByTestId('response-rate')
    await rate.waitFor()
    assert((await rate.getAttribute('data-respondents')) === '3', 'the response rate does not count three answers')

    // The pie of the single choice, the bars of the multiple choice and of the ratings.
    const charts = page.getByTestId('question-chart')
    await charts.nth(2).locator('svg').waitFor()
    assert((await charts.count()) === 3, `expected 3 charts, found ${await charts.count()}`)
    const kinds = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
    assert(kinds.join() === 'single,multiple,rating', `charts of the wrong kinds: ${kinds}`)
    const pie = await charts.nth(0).locator('svg').textContent()
    assert(pie.includes('养犬') && pie.includes('2 · ') && pie.includes('1 · '), `the pie does not show the counts: ${pie}`)
    // At 360 px every label stays inside its chart.
    const clipped = await charts.evaluateAll((els) =>
      els.flatMap((el) => {
        const box = el.getBoundingClientRect()
        return [...el.querySelectorAll('svg text')]
          .filter((t) => t.textContent && (t.getBoundingClientRect().left < box.left - 0.5 || t.getBoundingClientRect().right > box.right + 0.5))
          .map((t) => t.textContent)
      }),
    )
    assert(clipped.length === 0, `labels cut at the chart's edge: ${clipped.join(', ')}`)
    const bars = await charts.nth(1).locator('svg').textContent()
    assert(bars.includes('遛犬不拴绳') && bars.includes('2'), `the bars do not show the counts: ${bars}`)

    assert((await countOf(page, 0, '养犬')) === 2, 'two households keep a dog')
    assert((await countOf(page, 0, '不养犬')) === 1, 'one household does not')
    assert((await countOf(page, 1, '遛犬不拴绳')) === 2, 'two picked leash-free walking')
    assert((await countOf(page, 1, '粪便不清理')) === 1, 'one picked mess')
    assert((await countOf(page, 1, '夜间犬吠')) === 0, 'nobody picked barking')
    const ratings = page.getByTestId('question-result').nth(2)
    assert((await ratings.locator('[data-stars="5"]').getAttribute('data-count')) === '2', 'two gave 5')
    assert((await ratings.locator('[data-stars="3"]').getAttribute('data-count')) === '1', 'one gave 3')
    assert((await ratings.getByTestId('rating-average').getAttribute('data-average')) === '4.33', 'the average is not 4.33')
    const texts = await page.getByTestId('result-text').allInnerTexts()
    assert(texts.length === 1 && texts[0].includes('便袋箱'), `unexpected comments: ${texts}`)
    await page.getByTestId('export-xlsx').waitFor()
    await screenshot(page, 'questionnaire-results')
    assert(errors.length === 0, `errors on the results page: ${errors.join('; ')}`)
  } finally {
    await close()
  }
}

export async function run() {
  const id = await build()
  await answer('owner001', id, { dog: 0, picks: [0, 1], rating: 5, text: '希望在门口设置宠物便袋箱', viaInbox: true })
  await answer('owner002', id, { dog: 1, picks: [0], rating: 5, sendEmptyFirst: true })
  await answer('owner003', id, { dog: 0, picks: [], rating: 3, draftFirst: true })
  await results(id)
}
