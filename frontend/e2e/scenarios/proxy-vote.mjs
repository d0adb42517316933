// A written proxy: the secretary registers owner005 as owner004's proxy; owner005 votes for that
// home; owner004 then sees the proxy's ballot and votes himself, which replaces it.
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary registers a proxy; the proxy votes; the owner sees it and replaces it by voting online'

const TITLE = '《太阳城二期文明养犬公约》表决'
const OWNER_KEY = 'TYC0004' // owner004's holder in the demo

async function openVote(page) {
  await page.getByTestId('vote-card').filter({ hasText: TITLE }).first().click()
  await page.waitForURL(/\/votes\/\d+$/)
  await page.getByTestId('vote-title').waitFor()
}

async function castFor(page, holding, choice) {
  await holding.getByTestId('holding-vote').click()
  await page.getByTestId(`choice-${choice}`).click()
  await page.getByTestId('confirm-dialog').waitFor()
  await page.getByTestId('confirm-cast').click()
  await page.getByTestId('receipt-code').waitFor()
  return {
    receipt: (await page.getByTestId('receipt-code').innerText()).trim(),
    channel: (await page.getByTestId('receipt-channel').innerText()).trim(),
  }
}

export async function run() {
  let { page, errors, close } = await openBrowser()
  let step = 'secretary'
  try {
    await login(page, 'secretary')
    await openVote(page)
    await page.getByTestId('vote-proxies-link').click()
    await page.waitForURL(/\/compounds\/\d+\/proxies$/)
    await page.getByTestId('proxy-new').click()
    const form = page.getByTestId('proxy-form')
    await form.waitFor()
    await form.getByTestId('holder-search').locator('input').fill(OWNER_KEY)
    await form.getByTestId('search-submit').click()
    await form.getByTestId('holder-option').filter({ hasText: OWNER_KEY }).first().click()
    await page.getByTestId('proxy-login').fill('owner005')
    await page.getByTestId('proxy-note').fill('书面委托书原件存社区居委会')
    await page.getByTestId('proxy-submit').click()
    const row = page.locator(`[data-testid="proxy-row"][data-holder-key="${OWNER_KEY}"]`).first()
    await row.waitFor()
    assert((await row.getByTestId('proxy-state').innerText()).includes('有效'), 'the new proxy is not shown as valid')
    await form.waitFor({ state: 'hidden' })
    await screenshot(page, 'proxy-registered')
    assert(errors.length === 0, errors.join('\n'))
    await close()

    step = 'proxy'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'owner005')
    await openVote(page)
    const asProxy = page.locator(`[data-testid="my-holding"][data-holder-key="${OWNER_KEY}"]`)
    await asProxy.waitFor()
    assert((await page.getByTestId('my-holding').count()) >= 2, 'the proxy does not see both their own holding and the represented one')
    const byProxy = await castFor(page, asProxy, 'agree')
    assert(byProxy.channel === '委托代理人', `the proxy's ballot channel is ${byProxy.channel}`)
    await screenshot(page, 'proxy-cast')
    assert(errors.length === 0, errors.join('\n'))
    await close()

    step = 'owner'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'owner004')
    await openVote(page)
    const mine = page.locator(`[data-testid="my-holding"][data-holder-key="${OWNER_KEY}"]`)
    const ballot = mine.getByTestId('my-ballot')
    await ballot.waitFor()
    assert((await ballot.getAttribute('data-channel')) === 'proxy', 'the owner does not see the ballot as cast by proxy')
    assert((await mine.getByTestId('my-receipt').innerText()).trim() === byProxy.receipt, "the owner does not see the proxy's receipt")
    await mine.getByTestId('proxy-cast-note').waitFor()
    await screenshot(page, 'proxy-owner-sees')

    const own = await castFor(page, mine, 'oppose')
    assert(own.channel === '网上投票', `the owner's ballot channel is ${own.channel}`)
    assert(own.receipt !== byProxy.receipt, 'the replacing ballot kept the old receipt')
    await page.getByTestId('receipt-done').click()
    await page.locator(`[data-testid="my-holding"][data-holder-key="${OWNER_KEY}"] [data-testid="my-ballot"][data-channel="online"]`).waitFor()
    const choice = await mine.getByTestId('my-choice').innerText()
    assert(choice.includes('反对'), `the owner's own choice is not shown: ${choice}`)
    await screenshot(page, 'proxy-owner-replaced')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, `proxy-${step}-failed`).catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
