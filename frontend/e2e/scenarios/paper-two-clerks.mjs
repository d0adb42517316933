// A signed paper ballot counts only after a second clerk confirms it: the community worker who
// entered it cannot confirm it himself; the secretary can, and the turnout goes up by one head.
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'staff enters paper ballot P-001, cannot confirm it; secretary confirms it and turnout rises'

const TITLE = '《太阳城二期文明养犬公约》表决'
// The last holders of 太阳城二期 have no account (the demo leaves them for paper ballots).
const SEARCH = '2单元301'
const UNIT = '5号楼 2单元301'
const SERIAL = 'P-001'

async function openVote(page) {
  await page.getByTestId('vote-card').filter({ hasText: TITLE }).first().click()
  await page.waitForURL(/\/votes\/\d+$/)
  await page.getByTestId('vote-title').waitFor()
}

async function readHeads(page) {
  const value = page.getByTestId('turnout-heads-value')
  await value.waitFor()
  return Number((await value.innerText()).trim())
}

export async function run() {
  let { page, errors, close } = await openBrowser()
  let step = 'staff'
  try {
    await login(page, 'staff')
    await openVote(page)
    await page.getByTestId('vote-paper-link').click()
    await page.waitForURL(/\/votes\/\d+\/paper$/)

    await page.getByTestId('holder-search').locator('input').fill(SEARCH)
    await page.getByTestId('holder-search').getByTestId('search-submit').click()
    await page.getByTestId('holder-option').filter({ hasText: UNIT }).first().click()
    await page.getByTestId('picked-holder').filter({ hasText: UNIT }).waitFor()
    await page.getByTestId('paper-serial').fill(SERIAL)
    await page.getByTestId('paper-choice-agree').click()
    await page.getByTestId('paper-submit').click()

    const row = page.locator(`[data-testid="paper-pending-row"][data-serial="${SERIAL}"]`)
    await row.waitFor()
    const entered = await row.getByTestId('paper-entered-by').innerText()
    assert(entered.includes('张社工'), `the pending row does not say who entered it: ${entered}`)

    // The same clerk is refused, and told why (a second person must confirm).
    await row.getByTestId('paper-confirm').click()
    const notify = page.locator('.van-notify').filter({ hasText: /第二|另一/ })
    await notify.waitFor()
    await screenshot(page, 'paper-same-clerk-refused')
    assert(await row.isVisible(), 'the ballot left the pending queue after a refused confirmation')
    // The browser logs the refused request itself; that one is expected.
    const unexpected = errors.filter((e) => !/status of 409 .*\/paper-ballots\/\d+\/confirm/.test(e))
    assert(unexpected.length === 0, unexpected.join('\n'))
    await close()

    step = 'secretary'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'secretary')
    await openVote(page)
    await page.getByTestId('turnout-gauge').locator('svg').first().waitFor()
    const before = await readHeads(page)
    await page.getByTestId('vote-paper-link').click()
    await page.waitForURL(/\/votes\/\d+\/paper$/)
    const pending = page.locator(`[data-testid="paper-pending-row"][data-serial="${SERIAL}"]`)
    await pending.getByTestId('paper-confirm').click()
    await page.locator(`[data-testid="paper-counted-row"][data-serial="${SERIAL}"]`).waitFor()
    const counted = await page.locator(`[data-testid="paper-counted-row"][data-serial="${SERIAL}"]`).innerText()
    assert(counted.includes('张社工') && counted.includes('李书记'), `the counted row does not name both clerks: ${counted}`)
    await screenshot(page, 'paper-confirmed')

    await page.goBack()
    await page.waitForURL(/\/votes\/\d+$/)
    const after = await readHeads(page)
    assert(after === before + 1, `turnout heads went from ${before} to ${after}, expected +1`)
    await page.getByTestId('turnout-gauge').locator('svg').first().waitFor()
    await screenshot(page, 'paper-turnout')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, `paper-${step}-failed`).catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
