// A three-party consultation from convening to a change of plan: the secretary at a desk convenes it for
// 太阳城二期 with two items (one drawn from an open agenda), the property manager answers from the inbox on a
// phone with a deputy, the committee chair will attend, the secretary sees the counts move, then postpones it
// with a reason, and the property manager reads the new time and the reason in the inbox.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary convenes a consultation with an agenda item; property sends a deputy, committee attends; postponed with a reason'

const PHONE = { width: 360, height: 640 }
const DESK = { width: 1366, height: 768 }

async function api(path, token, body) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** An open agenda of 太阳城二期, opened by the committee, for an item to be drawn from. */
async function openAgenda(stamp) {
  const { access_token: token } = await api('/auth/login', null, { login: 'committee', password: DEMO_PASSWORD })
  const me = await api('/me', token)
  const compound = me.memberships.find((m) => m.compound_id).compound_id
  const title = `北门垃圾清运时间调整 ${stamp}`
  const agenda = await api(`/compounds/${compound}/agendas`, token, { title, description: '清运车早上六点作业噪音大，建议调整到七点以后。' })
  return { compound, agenda: { id: agenda.id, title } }
}

/** A datetime-local value `days` ahead at `hour`:00, in the browser's time zone. */
function localInput(days, hour) {
  const d = new Date(Date.now() + days * 86_400_000)
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`
}

async function counts(page) {
  const read = async (id) => Number((await page.getByTestId(id).locator('.sf-stat__value').innerText()).trim())
  return { attending: await read('count-attending'), deputies: await read('count-deputies'), pending: await read('count-pending'), invited: await read('count-invited') }
}

/** Opens the newest inbox notice whose text has `text`, as `user` on a phone. */
async function openFromInbox(page, text) {
  await page.getByTestId('tab-inbox').click()
  await page.waitForURL(/\/inbox$/)
  const item = page.getByTestId('inbox-item').filter({ hasText: text }).first()
  await item.waitFor()
  return item
}

export async function run() {
  const stamp = Date.now().toString(36)
  const { compound, agenda } = await openAgenda(stamp)
  const title = `三方协商：北门垃圾清运 ${stamp}`

  const desk = await openBrowser({ viewport: DESK })
  let meetingId
  let before
  try {
    const { page, errors } = desk
    await login(page, 'secretary')
    await page.locator(`[data-testid="side-compound-meetings"][data-id="${compound}"]`).click()
    await page.waitForURL(new RegExp(`/compounds/${compound}/meetings$`))
    await page.getByTestId('meeting-new').click()
    await page.waitForURL(/\/communities\/\d+\/meetings\/new\?compound=\d+$/)

    assert((await page.getByTestId('kind-consultation').getAttribute('aria-checked')) === 'true', 'a consultation is not the kind proposed to the secretary')
    const checked = page.getByTestId('meeting-compound').filter({ hasText: '太阳城二期' })
    assert((await checked.getAttribute('aria-checked')) === 'true', '太阳城二期 is not ticked')
    await page.getByTestId('meeting-title-input').fill(title)
    await page.getByTestId('meeting-description-input').fill('请三方就北门垃圾清运时间和噪音问题协商。')
    await page.getByTestId('meeting-starts-at').fill(localInput(3, 15))
    await page.getByTestId('meeting-place').fill('社区党群服务中心二楼会议室')

    // Item 1, drawn from the open agenda: it takes the agenda's title.
    await page.getByTestId('item-add').click()
    const first = page.getByTestId('item-editor').nth(0)
    await first.getByTestId('item-source').locator('.van-cell').click()
    await page.locator('.van-picker-column__item').filter({ hasText: agenda.title }).click()
    await page.locator('.van-picker__confirm').click()
    assert((await first.getByTestId('item-title').inputValue()) === agenda.title, 'the item does not take the agenda title')
    await first.getByTestId('item-minutes').fill('30')
    // Item 2, a free item, added empty first: the form names the missing title at the item.
    await page.getByTestId('item-add').click()
    const second = page.getByTestId('item-editor').nth(1)
    await page.getByTestId('meeting-submit').click()
    await second.locator('.van-field__error-message').first().waitFor()
    await second.getByTestId('item-title').fill('物业说明清运安排')
    await second.getByTestId('item-minutes').fill('15')
    await screenshot(page, 'meeting-form-desk')

    await page.getByTestId('meeting-submit').click()
    await page.waitForURL(/\/meetings\/\d+$/)
    meetingId = Number(new URL(page.url()).pathname.split('/').pop())
    await page.getByTestId('meeting-head').waitFor()
    assert((await page.getByTestId('meeting-title').innerText()).includes(stamp), 'the meeting page shows another title')
    assert((await page.getByTestId('meeting-kind').innerText()) === '三方协同协商会议', 'the kind is not named')
    const items = page.getByTestId('meeting-item')
    assert((await items.count()) === 2, `${await items.count()} items instead of 2`)
    const link = await items.nth(0).getByTestId('meeting-item-source').getAttribute('href')
    assert(link === `/agendas/${agenda.id}`, `the first item links to ${link}`)
    assert((await page.getByTestId('meeting-manage').count()) === 1, 'the secretary cannot postpone or cancel')
    before = await counts(page)
    assert(before.attending === 1 && before.deputies === 0 && before.pending >= 2, `counts after convening: ${JSON.stringify(before)}`)
    await screenshot(page, 'meeting-secretary-desk')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(desk.page, 'meeting-secretary-failed').catch(() => undefined)
    await desk.close()
    throw e
  }

  // The property manager, on a phone, from the inbox: a deputy, who is no ballot proxy.
  const phone = await openBrowser({ viewport: PHONE })
  try {
    const { page, errors } = phone
    await login(page, 'property')
    await (await openFromInbox(page, title)).click()
    await page.waitForURL(new RegExp(`/meetings/${meetingId}$`))
    const mine = page.getByTestId('my-invitation')
    await mine.waitFor()
    assert((await mine.getAttribute('data-answer')) === 'pending', 'the invitation is not waiting for an answer')
    const order = await page.evaluate(() => [...document.querySelectorAll('[data-testid="my-invitation"], [data-testid="meeting-items"]')].map((e) => e.getAttribute('data-testid')))
    assert(order[0] === 'my-invitation', 'my invitation does not come before the items')
    const button = page.getByTestId('answer-deputy')
    const box = await button.boundingBox()
    assert(box && box.height >= 44 && box.width >= 44, `the deputy button is ${box?.width}×${box?.height}`)
    assert((await page.getByTestId('deputy-note').innerText()).includes('不是表决的委托代理人'), 'no word that a deputy is no ballot proxy')
    await button.click()
    await page.getByTestId('deputy-name').fill('王副经理')
    await page.getByTestId('deputy-submit').click()
    await page.locator('[data-testid="my-invitation"][data-answer="deputy"]').waitFor()
    assert((await page.getByTestId('my-deputy').innerText()).includes('王副经理'), 'the deputy is not named')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow <= 0, `the meeting page scrolls sideways by ${overflow}px at 360px`)
    await screenshot(page, 'meeting-property-phone')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(phone.page, 'meeting-property-failed').catch(() => undefined)
    await phone.close()
    await desk.close()
    throw e
  }

  // The committee chair will attend.
  const chair = await openBrowser({ viewport: PHONE })
  try {
    const { page, errors } = chair
    await login(page, 'committee')
    await page.goto(`${BASE_URL}/meetings/${meetingId}`)
    await page.getByTestId('answer-attending').click()
    await page.locator('[data-testid="my-invitation"][data-answer="attending"]').waitFor()
    assert((await page.getByTestId('answer-deputy').count()) === 1, 'the chair, speaking for the committee as a party, is offered no deputy')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(chair.page, 'meeting-committee-failed').catch(() => undefined)
    await phone.close()
    await desk.close()
    throw e
  } finally {
    await chair.close()
  }

  // The secretary sees the counts move, and postpones the meeting with a reason.
  let newStart
  const reason = '等物业先拿出清运新方案'
  try {
    const { page, errors } = desk
    await page.reload()
    await page.getByTestId('meeting-counts').waitFor()
    const after = await counts(page)
    assert(after.attending === before.attending + 1, `attending ${before.attending} → ${after.attending}`)
    assert(after.deputies === before.deputies + 1, `deputies ${before.deputies} → ${after.deputies}`)
    assert(after.pending === before.pending - 2, `pending ${before.pending} → ${after.pending}`)
    const deputyRow = page.getByTestId('invitation-row').filter({ hasText: '王副经理' })
    assert((await deputyRow.getAttribute('data-answer')) === 'deputy', 'the property manager’s row does not show the deputy')

    await page.getByTestId('meeting-postpone').click()
    const sheet = page.getByRole('dialog', { name: '延期' })
    await sheet.waitFor()
    const value = localInput(5, 10)
    newStart = await page.evaluate((v) => new Date(v).toISOString(), value)
    await page.getByTestId('postpone-starts-at').fill(value)
    await page.getByTestId('change-reason').fill(reason)
    await page.getByTestId('meeting-change-submit').click()
    await sheet.waitFor({ state: 'hidden' })
    await page.waitForFunction((at) => document.querySelector('[data-testid="meeting-when"]')?.getAttribute('data-starts-at')?.startsWith(at.slice(0, 16)), newStart)
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(desk.page, 'meeting-postpone-failed').catch(() => undefined)
    await phone.close()
    throw e
  } finally {
    await desk.close()
  }

  // The property manager reads the new time and the reason in the inbox.
  try {
    const { page, errors } = phone
    const notice = await openFromInbox(page, '会议改期')
    const text = await notice.innerText()
    assert(text.includes(title) && text.includes(reason), `the notice reads ${JSON.stringify(text)}`)
    // Notices give times in China's time (UTC+8), whatever the reader's device says.
    const china = new Date(new Date(newStart).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
    assert(text.includes(china), `the notice does not give the new time ${china}: ${JSON.stringify(text)}`)
    await notice.click()
    await page.waitForURL(new RegExp(`/meetings/${meetingId}$`))
    const shown = await page.getByTestId('meeting-when').getAttribute('data-starts-at')
    assert(shown?.startsWith(newStart.slice(0, 16)), `the meeting page gives ${shown}, not ${newStart}`)
    await screenshot(page, 'meeting-property-postponed')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(phone.page, 'meeting-property-inbox-failed').catch(() => undefined)
    throw e
  } finally {
    await phone.close()
  }
}
