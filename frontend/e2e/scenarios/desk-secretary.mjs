// The community secretary at a desk (1366×768): the side navigation, the concerns to route first, a count
// that opens exactly its list, and a table sorted by clicking a column.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary at a desk opens a count, gets a list of exactly that many and sorts it'

async function api(path, token, body) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Two more concerns waiting to be routed in 太阳城二期, raised by an owner, so the list has an order to turn round. */
async function raiseConcerns() {
  const { access_token: token } = await api('/auth/login', null, { login: 'owner001', password: DEMO_PASSWORD })
  const me = await api('/me', token)
  const compound = me.holdings[0].compound_id
  const [category] = await api(`/communities/${me.holdings[0].community_id}/concern-categories`, token)
  for (const text of ['桌面测试：楼道灯不亮', '桌面测试：垃圾桶满了']) {
    await api(`/compounds/${compound}/concerns`, token, { category_id: category.id, text })
  }
  return compound
}

export async function run() {
  const compound = await raiseConcerns()
  const { page, errors, close } = await openBrowser({ viewport: { width: 1366, height: 768 } })
  try {
    await login(page, 'secretary')
    const nav = page.getByTestId('sidenav')
    await nav.waitFor()
    assert((await nav.getAttribute('aria-label')) !== null, 'the side navigation has no name')
    assert((await page.getByTestId('tabbar').count()) === 0, 'the phone tab bar shows at desk width')
    assert((await page.getByTestId('side-home').getAttribute('aria-current')) === 'page', 'home is not marked current in the side navigation')
    assert((await nav.getByTestId('side-compound-holders').count()) >= 1, 'the side navigation has no owners link for the secretary')

    // Triage first: the desk is the first block of the home page, before votes and compounds.
    const desk = page.getByTestId('secretary-desk')
    await desk.getByTestId('triage-count').waitFor()
    const first = await page.evaluate(() => {
      const home = document.querySelector('[data-testid="home"]')
      return [...(home?.querySelectorAll('[data-testid]') ?? [])][0]?.getAttribute('data-testid')
    })
    assert(first === 'secretary-desk', `the first block of the home page is ${first}, not the concerns to route`)
    const triage = Number(await desk.getByTestId('triage-count').getAttribute('data-count'))
    assert(triage >= 2, `only ${triage} concerns waiting to be routed`)
    assert((await desk.getByTestId('triage-item').count()) >= 2, 'the concerns to route are not listed')
    await screenshot(page, 'desk-secretary-home')

    const count = desk.locator(`[data-compound="${compound}"]`).getByTestId('desk-count-submitted')
    const expected = Number(await count.getAttribute('data-count'))
    assert(expected >= 2, `the count to route in the compound is ${expected}`)
    await count.click()
    await page.waitForURL((url) => url.pathname === `/compounds/${compound}/concerns` && url.searchParams.get('status') === 'submitted')

    const total = page.getByTestId('list-total')
    await page.getByTestId('concern-table').waitFor()
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="list-total"]')?.getAttribute('data-total') === String(n),
      expected,
    )
    const rows = page.getByTestId('concern-table').getByTestId('concern-row')
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="concern-table"] [data-testid="concern-row"]').length === n, expected)
    assert(Number(await total.getAttribute('data-total')) === expected, 'the list total differs from the count')
    assert((await page.locator('[data-testid="side-compound-concerns"][aria-current="page"]').count()) === 1, 'the concerns link is not marked current')

    // Newest first; a click on 提交时间 sorts oldest first, and the address keeps the order and the filter.
    const before = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))))
    assert(before.every((id, i) => i === 0 || before[i - 1] > id), `not newest first: ${before.join(', ')}`)
    const header = page.locator('th', { has: page.getByTestId('sort-created_at') })
    assert((await header.getAttribute('aria-sort')) === 'none', 'the raised column claims a sort before a click')
    await page.getByTestId('sort-created_at').click()
    await page.waitForURL((url) => url.searchParams.get('sort') === 'created_at' && url.searchParams.get('status') === 'submitted')
    await page.waitForFunction(
      (ids) => [...document.querySelectorAll('[data-testid="concern-table"] [data-testid="concern-row"]')].map((tr) => Number(tr.getAttribute('data-id'))).join() === ids,
      [...before].reverse().join(),
    )
    assert((await header.getAttribute('aria-sort')) === 'ascending', 'the raised column does not say it sorts ascending')

    // A reload keeps the filter and the order.
    await page.reload()
    await page.getByTestId('concern-table').waitFor()
    await page.waitForFunction((n) => document.querySelector('[data-testid="list-total"]')?.getAttribute('data-total') === String(n), expected)
    const after = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-id'))))
    assert(after.join() === [...before].reverse().join(), `after a reload the order is ${after.join(', ')}`)
    await screenshot(page, 'desk-secretary-concerns')

    // A row opens its concern.
    await rows.first().locator('td').nth(2).click()
    await page.waitForURL(new RegExp(`/concerns/${after[0]}$`))
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'desk-secretary-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
