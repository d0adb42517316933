// An elderly owner, in large-text mode on a small phone, opens the vote notice in the inbox,
// reads the pact, sees what their vote weighs, agrees, keeps the receipt and finds it on the
// public ballot list.
import { BASE_URL, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'owner003 votes on the dog-keeping pact from the inbox and checks the receipt (360×640, large text)'

const TITLE = '《太阳城二期文明养犬公约》表决'

export async function run() {
  const { context, page, errors, close } = await openBrowser({ viewport: { width: 360, height: 640 } })
  try {
    // Large-text mode is a saved setting; set it before the app starts.
    await page.goto(`${BASE_URL}/login`)
    await page.evaluate(() => localStorage.setItem('sanfang.settings', JSON.stringify({ locale: 'zh-CN', largeText: true })))
    await login(page, 'owner003')
    assert(await page.evaluate(() => document.documentElement.classList.contains('sf-large-text')), 'large-text mode is off')

    // The inbox tab shows an unread badge; the notice leads to the vote.
    const tab = page.getByTestId('tab-inbox')
    await tab.locator('.van-badge').waitFor()
    await tab.click()
    await page.waitForURL(/\/inbox$/)
    const notice = page.getByTestId('inbox-item').filter({ hasText: TITLE }).first()
    await notice.waitFor()
    assert((await notice.getAttribute('data-read')) === 'false', 'the vote notice is not marked unread')
    await notice.click()
    await page.waitForURL(/\/votes\/\d+$/)

    await page.getByTestId('vote-title').filter({ hasText: TITLE }).waitFor()
    assert((await page.getByTestId('vote-status').first().getAttribute('data-status')) === 'open', 'the vote is not open')
    const body = await page.getByTestId('vote-body').innerText()
    assert(body.includes('犬只出户应当束犬链'), 'the pact text is not shown')
    const articles = await page.getByTestId('vote-body').locator('p').filter({ hasText: /^第[一二三四五六七八九十]+条/ }).count()
    assert(articles >= 7, `the pact's articles are not each a paragraph: ${articles}`)
    const bound = await page.getByTestId('vote-convention').innerText()
    assert(bound.includes('文明养犬公约'), `the vote does not name the convention text it decides on: ${bound}`)
    const rule = await page.getByTestId('vote-rule-text').innerText()
    assert(rule.startsWith('普通事项') && rule.includes('三分之二以上') && rule.includes('过半数'), `unexpected rule text: ${rule}`)
    const countdown = await page.getByTestId('vote-countdown').innerText()
    assert(/距截止还有/.test(countdown), `no countdown: ${countdown}`)

    const weight = await page.getByTestId('my-weight').innerText()
    assert(/\d+\.\d{2}\s*m²/.test(weight) && weight.includes('计 1 人'), `weight without area or head: ${weight}`)
    const units = await page.getByTestId('my-units').innerText()
    assert(/号楼/.test(units), `no room numbers: ${units}`)

    // Three big buttons; agree, then confirm in the dialog that repeats the choice and the weight.
    await page.getByTestId('go-vote').click()
    const agree = page.getByTestId('choice-agree')
    const box = await agree.boundingBox()
    assert(box && box.height >= 56, `the agree button is ${box?.height}px tall`)
    await agree.click()
    const dialog = page.getByTestId('confirm-dialog')
    await dialog.waitFor()
    assert((await page.getByTestId('confirm-choice').innerText()).includes('同意'), 'the dialog does not repeat the choice')
    assert(/m²/.test(await page.getByTestId('confirm-weight').innerText()), 'the dialog does not show the weight')
    await screenshot(page, 'owner-vote-confirm')
    await page.getByTestId('confirm-cast').click()

    const code = page.getByTestId('receipt-code')
    await code.waitFor()
    const receipt = (await code.innerText()).trim()
    assert(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/.test(receipt), `unexpected receipt code: ${receipt}`)
    assert((await page.getByTestId('receipt-screen').innerText()).includes('请保存此回执码'), 'no "save this code" line')
    // One large button copies the code, and says so.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL })
    const copy = page.getByTestId('receipt-copy')
    const copyBox = await copy.boundingBox()
    assert(copyBox && copyBox.height >= 48, `the copy button is ${copyBox?.height}px tall`)
    await copy.click()
    await page.locator('.van-toast').filter({ hasText: '回执码已复制' }).waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    assert(copied === receipt, `the clipboard holds ${copied}`)
    await screenshot(page, 'owner-vote-receipt')

    // The public list: search the receipt; its line is marked, and no name is shown.
    await page.getByTestId('receipt-check').click()
    await page.waitForURL(/\/votes\/\d+\/ballots/)
    await page.getByTestId('receipt-result').waitFor()
    const match = page.locator(`[data-testid="ballot-row"][data-receipt="${receipt}"]`)
    await match.waitFor()
    assert(await match.evaluate((el) => el.classList.contains('sf-ballot--match')), 'the receipt line is not highlighted')
    const line = await match.innerText()
    assert(line.includes(units.split('、')[0] ?? units) && /m²/.test(line) && line.includes('网上投票'), `the line lacks rooms, area or channel: ${line}`)

    // Typing the code again (lower case, no dash) finds the same line.
    await page.getByTestId('receipt-search').locator('input').fill(receipt.replace('-', '').toLowerCase())
    await page.getByTestId('search-submit').click()
    await page.waitForFunction((r) => document.querySelector(`[data-receipt="${r}"]`)?.classList.contains('sf-ballot--match'), receipt)
    const names = await page.evaluate(() => document.body.innerText.includes('罗淑珍'))
    assert(!names, 'an owner name appears on the public ballot list')

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`)
    await screenshot(page, 'owner-vote-ballots')

    // Back on the vote page the ballot shows with its receipt; there is nothing left to cast.
    await page.goBack()
    await page.waitForURL(/\/votes\/\d+$/)
    await page.getByTestId('my-receipt').filter({ hasText: receipt }).waitFor()
    // "您已投票" with the receipt is the first thing on the page, not 1,400 px down.
    const block = page.getByTestId('voted-block')
    assert((await block.getAttribute('data-state')) === 'done', 'no complete voted block')
    assert((await page.getByTestId('voted-receipt').innerText()).trim() === receipt, 'the voted block shows another receipt')
    const top = await block.evaluate((el) => el.getBoundingClientRect().top + window.scrollY)
    assert(top < 200, `the voted block starts ${top}px down`)
    assert((await page.getByTestId('go-vote').count()) === 0, '去投票 is still offered after voting')
    await screenshot(page, 'owner-vote-voted')
    assert((await page.getByTestId('choose').count()) === 0, 'the choices are still offered after voting')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'owner-vote-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
