// A three-party consultation run live: the secretary convenes it and chairs it from her desk, the room's
// screen shows the changing sign-in QR code, the property manager and the committee chair sign in with
// it on their phones, the room and a phone follow the item the chair takes up and the recorder's notes,
// the three parties' positions give the outcome, an action item goes to the property company, which
// reports it done with a photo from its inbox, and the secretary confirms it.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'a consultation run live: QR sign-in, the room and a phone follow, outcome, handed on to a questionnaire, action item done and confirmed'

const DESK = { width: 1366, height: 768 }
const PROJECTOR = { width: 1920, height: 1080 }
const PHONE = { width: 360, height: 640 }

/** A small valid PNG (4×4 pixels), the photo of the cleared north gate. */
function photo() {
  const hex =
    '89504e470d0a1a0a0000000d49484452000000040000000408020000002693092900000020744558744c6f636174696f6e004e6f' +
    '72746820676174652033392e394e203131362e344593aced2a0000001049444154789c6350683800470cc4710032521601e760bc' +
    'c00000000049454e44ae426082'
  return Buffer.from(hex, 'hex')
}

async function api(path, { token, method = 'GET', body } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Convenes the consultation for 太阳城二期 through the API, starting in five minutes. */
async function convene(stamp) {
  const token = (await api('/auth/login', { method: 'POST', body: { login: 'secretary', password: DEMO_PASSWORD } })).access_token
  const me = await api('/me', { token })
  const community = me.memberships.find((m) => m.community_id)?.community_id
  const detail = await api(`/communities/${community}`, { token })
  const compound = detail.compounds.find((c) => c.name === '太阳城二期')
  assert(compound, 'the demo has no 太阳城二期')
  return api(`/communities/${community}/meetings`, {
    token,
    method: 'POST',
    body: {
      kind: 'consultation',
      title: `北门垃圾清运三方协商（${stamp}）`,
      description: '商定北门外垃圾的清运办法。',
      compound_ids: [compound.id],
      starts_at: new Date(Date.now() + 5 * 60_000).toISOString(),
      duration_minutes: 60,
      place: '社区议事厅',
      items: [
        { title: '北门垃圾清运时间', description: '物业提出**每日清运两次**。', minutes: 20 },
        { title: '文明养犬宣传', minutes: 15 },
      ],
    },
  })
}

/** Clicks the big position button of a party (the radio input inside it is visually hidden). */
async function position(page, party, value) {
  await page.getByTestId(`position-${party}`).locator('label').filter({ has: page.getByTestId(`position-${party}-${value}`) }).click()
}

/** Opens a phone as `user` on the room's sign-in path and signs in there. */
async function signInByPhone(open, user, path) {
  const phone = await open({ viewport: PHONE })
  await login(phone.page, user)
  await phone.page.goto(`${BASE_URL}${path}`)
  await phone.page.getByTestId('sign-in-submit').click()
  await phone.page.getByTestId('sign-in-done').filter({ hasText: /已签到 \d\d:\d\d/ }).waitFor()
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 0, `the sign-in page scrolls sideways by ${overflow}px at 360px`)
  return phone
}

async function signInPath(room) {
  const qr = room.getByTestId('room-qr')
  await qr.locator('img').waitFor()
  const path = await qr.getAttribute('data-sign-in-path')
  assert(path && /^\/meetings\/\d+\/sign-in\?code=/.test(path), `the room shows no sign-in path: ${path}`)
  return path
}

export async function run() {
  const stamp = Date.now()
  const meeting = await convene(stamp)
  const browsers = []
  const open = async (options) => {
    const b = await openBrowser(options)
    browsers.push(b)
    return b
  }
  try {
    // The secretary opens the meeting from the chair's desk.
    const desk = await open({ viewport: DESK })
    const chair = desk.page
    await login(chair, 'secretary')
    await chair.goto(`${BASE_URL}/meetings/${meeting.id}/chair`)
    await chair.getByTestId('meeting-open').click()
    await chair.getByTestId('meeting-status').and(chair.locator('[data-status="in_progress"]')).waitFor()
    assert(await chair.getByTestId('sidenav').isVisible(), 'the chair’s desk has no side navigation at 1366px')

    // The room's screen, the secretary's account in a second browser, shows the QR code.
    const projector = await open({ viewport: PROJECTOR })
    const room = projector.page
    await login(room, 'secretary')
    await room.goto(`${BASE_URL}/meetings/${meeting.id}/room`)
    assert((await room.getByTestId('nav-bar').count()) === 0, 'the room screen shows the app’s header')
    const firstPath = await signInPath(room)

    // The property manager signs in with the code the room shows; the room counts them.
    const property = await signInByPhone(open, 'property', firstPath)
    await room.locator('[data-testid="live-party"][data-party="property_company"][data-present="1"]').waitFor()
    await signInByPhone(open, 'committee', await signInPath(room))
    await room.locator('[data-testid="live-party"][data-party="owners_committee"][data-present="1"]').waitFor()
    await room.getByTestId('live-absent').filter({ hasText: '社区' }).waitFor()

    // The chair ticks herself present for the community office; the room's screen follows.
    const mine = chair.getByTestId('attendance-tick').filter({ hasText: '李书记' })
    await mine.click()
    await chair.locator('[data-testid="attendance-tick"][data-present="yes"]').filter({ hasText: '李书记' }).waitFor()
    await room.getByTestId('live-absent').waitFor({ state: 'detached' })

    // A committee member signed the paper sheet: its photo is kept and the name ticked from it.
    await chair.getByTestId('sheet-input').setInputFiles({ name: 'sign-in-sheet.png', mimeType: 'image/png', buffer: photo() })
    await chair.getByTestId('sheet-view').waitFor()
    await chair.getByTestId('from-sheet').click()
    await chair.getByTestId('attendance-tick').filter({ hasText: '陈委员' }).click()
    await chair.locator('[data-testid="attendance-tick"][data-present="yes"]').filter({ hasText: '纸质签到表' }).waitFor()
    await room.locator('[data-testid="live-party"][data-party="owners_committee"][data-present="2"]').waitFor()
    await screenshot(room, 'live-meeting-room-signed-in')

    // The property manager follows the meeting on the phone.
    await property.page.getByTestId('sign-in-follow').click()
    await property.page.waitForURL(/\/meetings\/\d+\/live$/)
    await property.page.locator('[data-testid="live-my-sign-in"][data-signed-in="yes"]').waitFor()

    // The chair takes up item 1: the room and the phone follow it.
    const item1 = meeting.items[0].id
    await chair.locator(`[data-testid="chair-item"][data-id="${item1}"]`).getByTestId('item-take-up').click()
    await room.locator(`[data-testid="room-current"][data-item="${item1}"]`).waitFor()
    await property.page.locator(`[data-testid="live-current"][data-item="${item1}"]`).waitFor()
    assert((await room.getByTestId('room-current').innerText()).includes('北门垃圾清运时间'), 'the room does not show the item taken up')

    // The recorder's notes are saved as they are written and reach the room and the phone.
    const notes = '物业：每天早晚各清运一次；业委会：同意，请在北门加装监控。'
    await chair.getByTestId('item-notes').fill(notes)
    await chair.locator('[data-testid="notes-state"][data-phase="saved"]').waitFor()
    await room.getByTestId('room-notes').filter({ hasText: '早晚各清运一次' }).waitFor()
    await property.page.getByTestId('live-notes').filter({ hasText: '早晚各清运一次' }).waitFor()

    // The three parties' positions give the outcome, shown before it is recorded.
    await position(chair, 'community_office', 'agree')
    await position(chair, 'property_company', 'agree')
    await position(chair, 'owners_committee', 'reserve')
    await chair.locator('[data-testid="outcome-preview"][data-outcome="agreed"]').waitFor()
    await chair.getByTestId('outcome-record').click()
    await chair.locator(`[data-testid="chair-item"][data-id="${item1}"][data-status="done"]`).waitFor()
    await room.locator(`[data-testid="live-item"][data-id="${item1}"][data-outcome="agreed"]`).waitFor()
    await property.page.locator(`[data-testid="live-item"][data-id="${item1}"][data-outcome="agreed"]`).waitFor()

    // An action item for the property company.
    const title = `北门垃圾每日早晚清运（${stamp}）`
    const done = chair.locator(`[data-testid="chair-item"][data-id="${item1}"]`)
    await done.getByTestId('task-title').fill(title)
    await done.getByTestId('task-party').locator('.van-cell').click()
    await chair.locator('.van-picker-column__item', { hasText: '物业服务中心' }).first().click()
    await chair.locator('.van-picker__confirm').click()
    await done.getByTestId('task-create').click()
    await done.getByTestId('item-task').filter({ hasText: title }).waitFor()
    // The agreed item goes on to ask the owners: a questionnaire drafted from it, the chair staying at the desk.
    await done.getByTestId('item-handoff').click()
    await chair.getByTestId('handoff-to-questionnaire').check({ force: true })
    await chair.getByTestId('handoff-submit').click()
    await done.getByTestId('item-handed-to').waitFor()
    await screenshot(chair, 'live-meeting-chair')

    // The property manager opens it from the inbox and reports it done with a photo.
    const phone = property.page
    await phone.goto(`${BASE_URL}/inbox`)
    await phone.getByTestId('inbox-item').filter({ hasText: title }).first().click()
    await phone.waitForURL(/\/tasks\/\d+$/)
    const taskPath = new URL(phone.url()).pathname
    await phone.getByTestId('task-update-body').fill('已安排早晚两班清运，北门外已清理干净。')
    await phone.getByTestId('task-add-photo').setInputFiles({ name: 'north-gate-cleared.png', mimeType: 'image/png', buffer: photo() })
    await phone.getByTestId('task-photo').first().waitFor()
    await phone.getByTestId('task-report-done').click()
    await phone.getByTestId('task-status').and(phone.locator('[data-status="reported"]')).waitFor()
    await screenshot(phone, 'live-meeting-task-reported')

    // The secretary confirms it.
    await chair.goto(`${BASE_URL}${taskPath}`)
    await chair.getByTestId('task-photo').first().waitFor()
    await chair.getByTestId('task-confirm').click()
    await chair.getByTestId('task-status').and(chair.locator('[data-status="done"]')).waitFor()

    for (const b of browsers) assert(b.errors.length === 0, b.errors.join('\n'))
  } catch (e) {
    for (const [i, b] of browsers.entries()) await screenshot(b.page, `live-meeting-failed-${i}`).catch(() => undefined)
    throw e
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined)
  }
}
