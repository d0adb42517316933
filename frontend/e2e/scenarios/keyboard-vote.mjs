// An owner who cannot use a touch screen or a mouse votes with the keyboard alone: signs in,
// reaches the open vote from the home page, agrees, confirms in the dialog, reads the receipt and
// finds "您已投票" first on the vote page, then goes home by the tab bar. Nothing is clicked, and
// every control the focus reaches shows it and is not covered by the header or the tab bar.
import { BASE_URL, assert, openBrowser, screenshot } from '../lib.mjs'

export const name = 'owner012 signs in and votes on the dog-keeping pact with the keyboard only (360×640, large text)'

const TITLE = '《太阳城二期文明养犬公约》表决'
const USER = 'owner012'
const PASSWORD = process.env.DEMO_PASSWORD ?? 'sanfang-demo'

/**
 * Where the focus is and whether one can see it: a focus ring drawn (WCAG 2.4.7), and the element
 * not hidden under the fixed header or tab bar (WCAG 2.4.11).
 */
function focusSeen() {
  const el = document.activeElement
  if (!el || el === document.body) return null
  const style = getComputedStyle(el)
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'
  const r = el.getBoundingClientRect()
  const header = document.querySelector('.sf-header')?.getBoundingClientRect().bottom ?? 0
  const tabbar = document.querySelector('.sf-tabbar')?.getBoundingClientRect().top ?? innerHeight
  const onBar = el.closest('.sf-header, .sf-tabbar, [role=dialog], .van-dialog') !== null
  const hidden = !onBar && (r.bottom <= header || r.top >= tabbar)
  const what = `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`
  return { ring, hidden, what }
}

/**
 * Presses Tab until the focused element matches `test` (run in the page), or fails after `max`
 * presses; on the way, every control the focus lands on must show it and not be covered.
 */
async function tabTo(page, what, test, arg, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const seen = await page.evaluate(focusSeen)
    if (seen) {
      assert(seen.ring, `no visible focus on ${seen.what}`)
      assert(!seen.hidden, `the focused ${seen.what} is hidden under the header or the tab bar`)
    }
    if (await page.evaluate(test, arg)) return
  }
  throw new Error(`Tab never reached ${what}`)
}

const byTestid = (id) => document.activeElement?.closest(`[data-testid="${id}"]`) != null
const cardFor = (title) => {
  const card = document.activeElement?.closest('[data-testid="vote-card"]')
  return card != null && card.textContent.includes(title)
}

export async function run() {
  const { page, errors, close } = await openBrowser({ viewport: { width: 360, height: 640 } })
  try {
    await page.goto(`${BASE_URL}/login`)
    await page.evaluate(() => localStorage.setItem('sanfang.settings', JSON.stringify({ locale: 'zh-CN', largeText: true })))
    await page.reload()
    await page.getByTestId('login-form').waitFor()

    // Sign in: Tab to the account, type, Tab to the password, type, Enter.
    await tabTo(page, 'the account field', byTestid, 'login-input')
    await page.keyboard.type(USER)
    await tabTo(page, 'the password field', byTestid, 'password-input')
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))

    // Home: the open vote's card says it is still to vote; Tab to it and follow it.
    const card = page.getByTestId('vote-card').filter({ hasText: TITLE }).first()
    await card.getByTestId('vote-card-mine').waitFor()
    assert((await card.getAttribute('data-mine')) === 'todo', 'the home card does not say the vote is still to cast')
    await tabTo(page, 'the vote card', cardFor, TITLE)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/votes\/\d+$/)
    await page.getByTestId('vote-title').filter({ hasText: TITLE }).waitFor()
    assert((await page.getByTestId('voted-block').count()) === 0, 'the page says voted before any vote')

    // 去投票 jumps to the ballot; Tab on to 同意 and press Enter.
    await tabTo(page, '去投票', byTestid, 'go-vote')
    await page.keyboard.press('Enter')
    await tabTo(page, '同意', byTestid, 'choice-agree')
    await page.keyboard.press('Enter')

    // The dialog takes the focus on its confirm button, repeating the choice.
    await page.getByTestId('confirm-dialog').waitFor()
    await page.waitForFunction(() => document.activeElement?.closest('[data-testid="confirm-cast"]') != null)
    assert((await page.getByTestId('confirm-choice').innerText()).includes('同意'), 'the dialog does not repeat the choice')
    // Tab goes round the dialog's buttons and never into the page behind it.
    await page.keyboard.press('Tab')
    assert(await page.evaluate(byTestid, 'confirm-back'), 'Tab does not reach 返回修改')
    await page.keyboard.press('Tab')
    assert(await page.evaluate(byTestid, 'confirm-cast'), 'Tab leaves the dialog')
    await page.keyboard.press('Shift+Tab')
    assert(await page.evaluate(byTestid, 'confirm-back'), 'Shift+Tab leaves the dialog')
    await page.keyboard.press('Shift+Tab')
    assert(await page.evaluate(byTestid, 'confirm-cast'), 'Shift+Tab does not return to the confirm button')
    await screenshot(page, 'keyboard-vote-confirm')
    await page.keyboard.press('Enter')

    // The receipt takes the focus; its code is read, and "完成" is reached with Tab.
    const code = page.getByTestId('receipt-code')
    await code.waitFor()
    const receipt = (await code.innerText()).trim()
    assert(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/.test(receipt), `unexpected receipt code: ${receipt}`)
    assert(await page.evaluate(byTestid, 'receipt-title'), 'the receipt does not take the focus')
    const copy = page.getByTestId('receipt-copy')
    assert((await copy.getAttribute('aria-label'))?.includes('复制回执码'), 'the copy button has no accessible name')
    await screenshot(page, 'keyboard-vote-receipt')
    await tabTo(page, '完成', byTestid, 'receipt-done')
    await page.keyboard.press('Enter')

    // Back on the vote page: "您已投票" with the receipt is the first thing, and has the focus.
    const block = page.getByTestId('voted-block')
    await block.waitFor()
    assert((await block.getAttribute('data-state')) === 'done', 'the voted block is not complete')
    assert((await page.getByTestId('done-title').innerText()).includes('您已投票'), 'the voted block does not say 您已投票')
    assert((await page.getByTestId('voted-receipt').innerText()).trim() === receipt, 'the voted block shows another receipt')
    const first = await page.evaluate(() => document.querySelector('[data-testid="vote-page"] .sf-card')?.getAttribute('data-testid'))
    assert(first === 'voted-block', `the first block on the page is ${first}`)
    const top = await block.evaluate((el) => el.getBoundingClientRect().top)
    assert(top < 200, `the voted block starts ${top}px down`)
    assert(await page.evaluate(byTestid, 'voted-block'), 'the voted block does not take the focus')
    assert((await page.getByTestId('go-vote').count()) === 0, '去投票 is still offered')
    await screenshot(page, 'keyboard-vote-voted')

    // Home again through the tab bar: its 首页 tab is highlighted on this sub-page, and still goes home.
    assert((await page.getByTestId('tab-home').getAttribute('aria-current')) === 'page', 'the 首页 tab is not marked current')
    await tabTo(page, 'the 首页 tab', byTestid, 'tab-home')
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname === '/')
    const done = page.getByTestId('vote-card').filter({ hasText: TITLE }).first()
    await done.locator('[data-testid="vote-card-mine"][data-done="true"]').waitFor()
    assert((await done.getByTestId('vote-card-mine').innerText()).includes('已投票'), 'the home card does not say 已投票')
    await screenshot(page, 'keyboard-vote-home')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'keyboard-vote-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
