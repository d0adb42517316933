// Written proxies under the two-person rule. The secretary registers owner007 as the proxy of
// TYC0006; it waits for the other party, and the owners' committee chair confirms it on the
// confirmations screen. A vote is open and the home has an account, so it counts only after 24
// hours. Then owner005 votes for TYC0004 with the proxy the demo seeds (registered by the committee,
// confirmed by the secretary before the vote opened); owner004 sees that ballot and replaces it.
import { BASE_URL, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary registers a proxy, the committee confirms it and it settles for 24 h; the seeded proxy votes and the owner replaces it'

const TITLE = '《太阳城二期文明养犬公约》表决'
const NEW_KEY = 'TYC0006' // owner006's home in the demo
const NEW_PROXY = 'owner007'
const OWNER_KEY = 'TYC0004' // owner004's home; the demo's proxy for it is owner005

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
    const proxiesPath = new URL(page.url()).pathname
    const seeded = page.locator(`[data-testid="proxy-row"][data-holder-key="${OWNER_KEY}"]`).first()
    await seeded.waitFor()
    assert((await seeded.getByTestId('proxy-state').innerText()).trim() === '有效', 'the seeded proxy is not shown as valid')

    await page.getByTestId('proxy-new').click()
    const form = page.getByTestId('proxy-form')
    await form.waitFor()
    await form.getByTestId('holder-search').locator('input').fill(NEW_KEY)
    await form.getByTestId('search-submit').click()
    await form.getByTestId('holder-option').filter({ hasText: NEW_KEY }).first().click()
    await page.getByTestId('proxy-login').fill(NEW_PROXY)
    await page.getByTestId('proxy-note').fill('书面委托书原件存社区居委会')
    await page.getByTestId('proxy-submit').click()
    await form.waitFor({ state: 'hidden' })
    const row = page.locator(`[data-testid="proxy-row"][data-holder-key="${NEW_KEY}"]`).first()
    await row.waitFor()
    assert((await row.getByTestId('proxy-state').innerText()).trim() === '待确认', 'the new proxy is not shown as awaiting confirmation')
    // The secretary registered it: the screen says another party must confirm, and offers no button.
    await row.getByTestId('proxy-refusal').waitFor()
    assert((await row.getByTestId('proxy-confirm').count()) === 0, 'the registrar is offered to confirm their own proxy')
    await screenshot(page, 'proxy-registered')
    assert(errors.length === 0, errors.join('\n'))
    await close()

    step = 'committee'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'committee')
    await page.getByTestId('compound-card').filter({ hasText: '太阳城二期' }).getByTestId('compound-confirmations').click()
    await page.waitForURL(/\/compounds\/\d+\/confirmations$/)
    const pending = page.locator(`[data-testid="pending-row"][data-kind="proxy"][data-holder-key="${NEW_KEY}"]`)
    await pending.waitFor()
    const requested = await pending.getByTestId('pending-requested').innerText()
    assert(requested.includes('李书记'), `the pending proxy does not say who registered it: ${requested}`)
    assert((await pending.getByTestId('pending-account').innerText()).trim().length > 0, 'the pending proxy does not name the proxy')
    await pending.getByTestId('pending-confirm').click()
    const dialog = page.locator('.van-dialog')
    await dialog.filter({ hasText: '书面委托书原件' }).waitFor()
    await screenshot(page, 'proxy-confirm-dialog')
    await dialog.locator('.van-dialog__confirm').click()
    await pending.waitFor({ state: 'detached' })

    await page.goto(`${BASE_URL}${proxiesPath}`)
    const confirmed = page.locator(`[data-testid="proxy-row"][data-holder-key="${NEW_KEY}"]`).first()
    await confirmed.waitFor()
    const state = (await confirmed.getByTestId('proxy-state').innerText()).trim()
    assert(state.startsWith('生效于'), `a proxy confirmed during an open vote is shown as "${state}", not as settling`)
    assert((await confirmed.getByTestId('proxy-confirmed-by').innerText()).includes('刘主任'), 'the proxy does not name who confirmed it')
    await screenshot(page, 'proxy-settling')
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
