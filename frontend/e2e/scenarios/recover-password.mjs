// Password recovery without a single key-holder: the secretary checks owner010's documents and
// issues a recovery code from the holders screen; it does not work until a second clerk of the
// community office (张社工) confirms it; then the owner sets a new password on /recover and signs
// in with it, and the old password no longer works.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary issues a recovery code for owner010, staff confirms it, the owner sets a new password and signs in'

const OWNER = 'owner010'
const HOLDER_KEY = 'TYC0010' // owner010's home in the demo
const NEW_PASSWORD = 'sanfang-new-2026'

async function openCompound(page) {
  await page.getByTestId('compound-link').filter({ hasText: '太阳城二期' }).first().click()
  await page.waitForURL(/\/compounds\/\d+$/)
}

async function recover(page, code) {
  await page.getByTestId('login-input').waitFor()
  await page.getByTestId('forgot-password').click()
  await page.waitForURL(/\/recover$/)
  await page.getByTestId('recover-login').fill(OWNER)
  await page.getByTestId('recover-code').fill(code)
  await page.getByTestId('recover-password').fill(NEW_PASSWORD)
  await page.getByTestId('recover-submit').click()
}

export async function run() {
  let { page, errors, close } = await openBrowser()
  let step = 'secretary'
  try {
    await login(page, 'secretary')
    await openCompound(page)
    await page.getByTestId('compound-holders').click()
    await page.waitForURL(/\/compounds\/\d+\/holders$/)
    await page.getByTestId('holder-search').locator('input').fill(HOLDER_KEY)
    await page.getByTestId('holder-search').getByTestId('search-submit').click()
    await page.getByTestId('holder-row').filter({ hasText: HOLDER_KEY }).first().click()
    const sheet = page.getByTestId('holder-sheet')
    await sheet.waitFor()
    await sheet.locator(`[data-testid="linked-user"][data-username="${OWNER}"]`).getByTestId('recovery-issue').click()
    const dialog = page.locator('.van-dialog').filter({ hasText: '本人在场' })
    await dialog.waitFor()
    await dialog.locator('.van-dialog__confirm').click()
    const card = page.getByTestId('recovery-card')
    await card.waitFor()
    const code = (await card.getByTestId('recovery-code').innerText()).trim()
    assert(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code), `the recovery code looks wrong: ${code}`)
    assert((await card.innerText()).includes('另一位社区工作人员确认'), 'the code card does not say a second clerk must confirm it')
    await screenshot(page, 'recovery-issued')
    await card.getByTestId('recovery-close').click()
    await card.waitFor({ state: 'detached' })
    assert(errors.length === 0, errors.join('\n'))
    await close()

    // Before the second clerk confirms it, the code does not work.
    step = 'too-early'
    ;({ page, errors, close } = await openBrowser())
    await page.goto(`${BASE_URL}/login`)
    await recover(page, code)
    const early = page.getByTestId('recover-error')
    await early.waitFor()
    assert((await early.innerText()).includes('第二位社区工作人员'), `an unconfirmed code is not explained: ${await early.innerText()}`)
    assert(new URL(page.url()).pathname === '/recover', 'an unconfirmed code left the recovery page')
    await screenshot(page, 'recovery-unconfirmed')
    const refused = errors.filter((e) => !/status of 409 .*\/auth\/recover/.test(e))
    assert(refused.length === 0, refused.join('\n'))
    await close()

    step = 'staff'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'staff')
    await openCompound(page)
    await page.getByTestId('compound-confirmations').click()
    await page.waitForURL(/\/compounds\/\d+\/confirmations$/)
    const row = page.locator(`[data-testid="recovery-row"][data-username="${OWNER}"]`)
    await row.waitFor()
    assert((await row.innerText()).includes('李书记'), 'the pending code does not say who issued it')
    await row.getByTestId('recovery-confirm').click()
    const check = page.locator('.van-dialog').filter({ hasText: '身份证明材料' })
    await check.waitFor()
    await check.locator('.van-dialog__confirm').click()
    await row.waitFor({ state: 'detached' })
    await screenshot(page, 'recovery-confirmed')
    assert(errors.length === 0, errors.join('\n'))
    await close()

    step = 'owner'
    ;({ page, errors, close } = await openBrowser())
    await page.goto(`${BASE_URL}/login`)
    await recover(page, code)
    await page.waitForURL(/\/login$/)
    await screenshot(page, 'recovery-done')

    // The old password is gone; the new one signs in.
    await page.getByTestId('login-input').fill(OWNER)
    await page.getByTestId('password-input').fill(DEMO_PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('login-error').waitFor()
    await login(page, OWNER, NEW_PASSWORD)
    await page.getByTestId('home-my-units').waitFor()
    const expected = errors.filter((e) => !/status of 401 .*\/auth\/login/.test(e))
    assert(expected.length === 0, expected.join('\n'))
  } catch (e) {
    await screenshot(page, `recovery-${step}-failed`).catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
