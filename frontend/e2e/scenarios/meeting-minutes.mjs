// The minutes of a held consultation, from the record to paper: the secretary (who recorded it) drafts them
// from the record at a desk and sends them round; the committee chair, who attended, proposes a correction on a
// 360×640 phone by editing the text; the secretary accepts it and asks for signatures; the property manager
// signs on a phone, the committee chair signs with a dissenting opinion, the secretary signs as chair; the
// minutes are published to the compound, listed there, and printed to an A4 PDF with the signature block.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BASE_URL, DEMO_PASSWORD, SHOTS, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'minutes: drafted from the record, corrected on a phone, signed by the parties on phones, published and printed to A4'

const DESK = { width: 1366, height: 768 }
const PHONE = { width: 360, height: 640 }

/** A small valid PNG (4×4 pixels): the photo of the paper sign-in sheet. */
function photo() {
  const hex =
    '89504e470d0a1a0a0000000d49484452000000040000000408020000002693092900000020744558744c6f636174696f6e004e6f' +
    '72746820676174652033392e394e203131362e344593aced2a0000001049444154789c6350683800470cc4710032521601e760bc' +
    'c00000000049454e44ae426082'
  return Buffer.from(hex, 'hex')
}

async function api(path, { token, method = 'GET', body, raw } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(raw ? { 'content-type': 'application/octet-stream' } : {}),
    },
    body: raw ?? (body ? JSON.stringify(body) : undefined),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? null : res.json()
}

const signIn = async (login) => (await api('/auth/login', { method: 'POST', body: { login, password: DEMO_PASSWORD } })).access_token

const NOTES = '物业：每天早晚各清运一次；业委会：同意，请在北门加装监控。'

/**
 * A consultation of 太阳城二期 held through the API, so that it has no minutes yet: convened by the secretary,
 * opened, the three parties' managers ticked present (the sheet's photo kept), each item noted and agreed by
 * every party present, an action item for the property company, and closed.
 */
async function holdMeeting(stamp) {
  const token = await signIn('secretary')
  const me = await api('/me', { token })
  const community = me.memberships.find((m) => m.community_id)?.community_id
  const detail = await api(`/communities/${community}`, { token })
  const compound = detail.compounds.find((c) => c.name === '太阳城二期')
  assert(compound, 'the demo has no 太阳城二期')
  const title = `北门垃圾清运三方协商（纪要 ${stamp}）`
  const meeting = await api(`/communities/${community}/meetings`, {
    token,
    method: 'POST',
    body: {
      kind: 'consultation',
      title,
      description: '商定北门外垃圾的清运办法。',
      compound_ids: [compound.id],
      starts_at: new Date(Date.now() + 5 * 60_000).toISOString(),
      duration_minutes: 60,
      place: '社区议事厅',
      items: [
        { title: '北门垃圾清运时间', minutes: 20 },
        { title: '北门加装监控', minutes: 15 },
      ],
    },
  })
  const id = meeting.id
  await api(`/meetings/${id}/open`, { token, method: 'POST' })
  const people = {}
  for (const user of ['secretary', 'property', 'committee']) people[(await api('/me', { token: await signIn(user) })).user.id] = user
  const invited = (await api(`/meetings/${id}`, { token })).invitations.filter((i) => people[i.person.id])
  assert(invited.length === 3, `the secretary, the property manager and the committee chair are not all invited: ${invited.map((i) => i.person.name)}`)
  await api(`/meetings/${id}/sign-in-sheet?name=sign-in-sheet.png`, { token, method: 'POST', raw: photo() })
  const held = await api(`/meetings/${id}/attendance`, { token, method: 'POST', body: { invitation_ids: invited.map((i) => i.id), present: true, method: 'staff' } })
  const present = held.attendance.parties.filter((p) => p.present > 0)
  assert(present.length === 3, `three parties are not present: ${JSON.stringify(held.attendance.parties)}`)
  for (const [n, item] of held.items.entries()) {
    await api(`/meetings/${id}/items/${item.id}/open`, { token, method: 'POST' })
    if (n === 0) await api(`/meetings/${id}/items/${item.id}/notes`, { token, method: 'PUT', body: { notes: NOTES } })
    await api(`/meetings/${id}/items/${item.id}/outcome`, {
      token,
      method: 'POST',
      body: { outcome: 'agreed', positions: present.map((p) => ({ party_id: p.party_id, position: 'agree' })) },
    })
  }
  const property = present.find((p) => p.party_kind === 'property_company')
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
  const task = `北门垃圾每日早晚清运（${stamp}）`
  await api(`/meetings/${id}/items/${held.items[0].id}/tasks`, { token, method: 'POST', body: { title: task, party_id: property.party_id, due_on: due } })
  await api(`/meetings/${id}/close`, { token, method: 'POST' })
  return { id, title, compound: compound.id, task }
}

/** Clicks the big choice `value` of the sign sheet (its radio input is visually hidden). */
async function choose(page, value) {
  await page.getByTestId('sign-choice').locator('label').filter({ has: page.getByTestId(`sign-choice-${value}`) }).click()
}

/** Signs the minutes shown on `page` as `value`, with `opinion` for a dissent; checks the digest the sheet names. */
async function sign(page, value, opinion) {
  const digest = await page.getByTestId('minutes-digest').getAttribute('data-digest')
  await page.getByTestId('minutes-sign-open').click()
  const sheet = page.getByTestId('sign-digest')
  await sheet.waitFor()
  assert((await sheet.getAttribute('data-digest')) === digest, 'the sign sheet names another text than the one shown')
  await choose(page, value)
  if (opinion) await page.getByTestId('sign-opinion').fill(opinion)
  await page.getByTestId('sign-submit').click()
  await page.getByTestId('minutes-sign').waitFor({ state: 'detached' })
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 0, `${what} scrolls sideways by ${overflow}px at 360px`)
}

export async function run() {
  const stamp = Date.now().toString(36)
  const meeting = await holdMeeting(stamp)
  const minutesPath = `/meetings/${meeting.id}/minutes`
  const browsers = []
  const open = async (options) => {
    const b = await openBrowser(options)
    browsers.push(b)
    return b
  }
  try {
    // The secretary opens the held meeting at her desk and drafts its minutes from the record.
    const desk = await open({ viewport: DESK })
    const secretary = desk.page
    await login(secretary, 'secretary')
    await secretary.goto(`${BASE_URL}/meetings/${meeting.id}`)
    await secretary.getByTestId('meeting-minutes').click()
    await secretary.waitForURL((url) => url.pathname === minutesPath)
    await secretary.getByTestId('minutes-draft').click()
    await secretary.locator('[data-testid="minutes-steps"][data-status="drafting"]').waitFor()
    const drafted = await secretary.getByTestId('minutes-text-body').innerText()
    assert(drafted.includes('北门垃圾清运时间'), `the draft does not hold the agenda: ${drafted.slice(0, 200)}`)
    // A "no minutes yet" answer before the draft is the API's 404, which the browser logs; nothing else may be.
    desk.errors.splice(0, desk.errors.length, ...desk.errors.filter((e) => !/status of 404 .*\/meetings\/\d+\/minutes\)$/.test(e)))

    // It goes round those who attended, for corrections until the deadline proposed.
    await secretary.getByTestId('minutes-circulate').click()
    await secretary.getByTestId('minutes-recorder-submit').click()
    await secretary.locator('[data-testid="minutes-steps"][data-status="correcting"]').waitFor()

    // The committee chair, who attended, corrects a line on a phone: the whole text to edit, and why.
    const committee = (await open({ viewport: PHONE })).page
    await login(committee, 'committee')
    await committee.goto(`${BASE_URL}${minutesPath}`)
    await committee.getByTestId('minutes-propose-open').click()
    const text = committee.getByTestId('propose-text')
    const before = await text.inputValue()
    assert(before.includes('早晚各清运一次'), `the text to correct does not hold the notes: ${before.slice(0, 300)}`)
    await text.fill(before.replace('早晚各清运一次', '早晚各清运一次，节假日照常'))
    await committee.getByTestId('propose-reason').fill('会上物业承诺节假日照常清运，纪要漏记了')
    await committee.getByTestId('propose-submit').click()
    const proposed = committee.locator('[data-testid="correction"][data-status="proposed"]')
    await proposed.waitFor()
    assert((await proposed.getByTestId('diff-inserted').first().innerText()).includes('节假日照常'), 'the correction does not mark what it adds')
    await noSidewaysScroll(committee, 'the minutes with a correction')
    await screenshot(committee, 'meeting-minutes-correction-phone')

    // The secretary accepts it with a reason: the text becomes version 2.
    await secretary.reload()
    const correction = secretary.locator('[data-testid="correction"][data-status="proposed"]')
    await correction.getByTestId('diff-original').waitFor()
    await correction.getByTestId('correction-accept').click()
    await secretary.getByTestId('correction-answer-reason').fill('属实，已补记')
    await secretary.getByTestId('correction-answer-submit').click()
    await secretary.locator('[data-testid="correction"][data-status="accepted"]').waitFor()
    await secretary.locator('.sf-minutes[data-version="2"]').waitFor()
    assert((await secretary.getByTestId('minutes-text-body').innerText()).includes('节假日照常'), 'the accepted correction is not in the text')

    // She asks the chair and the parties present to sign version 2.
    await secretary.getByTestId('minutes-sign-off').click()
    await secretary.getByTestId('minutes-recorder-submit').click()
    await secretary.locator('[data-testid="minutes-steps"][data-status="signing"]').waitFor()

    // The property manager signs on a phone; the committee chair signs with a dissenting opinion.
    const property = (await open({ viewport: PHONE })).page
    await login(property, 'property')
    await property.goto(`${BASE_URL}${minutesPath}`)
    await sign(property, 'approve')
    await noSidewaysScroll(property, 'the minutes being signed')
    await committee.reload()
    await committee.getByTestId('minutes-sign-open').click()
    await choose(committee, 'dissent')
    await committee.getByTestId('sign-submit').click()
    await committee.getByTestId('sign-sheet').getByText('请填写不同意见').waitFor()
    await committee.getByTestId('sign-opinion').fill('建议写明清运须在早七点以后')
    await committee.getByTestId('sign-submit').click()
    await committee.getByTestId('minutes-sign').waitFor({ state: 'detached' })
    await screenshot(committee, 'meeting-minutes-signed-phone')

    // The secretary signs as chair and publishes them.
    await secretary.reload()
    await sign(secretary, 'approve')
    await secretary.getByTestId('minutes-publish').click()
    await secretary.getByTestId('minutes-recorder-submit').click()
    await secretary.locator('[data-testid="minutes-steps"][data-status="published"]').waitFor()
    await secretary.getByTestId('minutes-reads').waitFor()
    const block = secretary.getByTestId('minutes-signatures')
    assert((await block.locator('[data-testid="signature"][data-answer="dissent"]').count()) === 1, 'the signature block does not show the dissent')
    await screenshot(secretary, 'meeting-minutes-published')

    // The compound's list of published minutes leads to them.
    await secretary.goto(`${BASE_URL}/compounds/${meeting.compound}/minutes`)
    await secretary.locator(`[data-testid="published-minutes"][data-meeting="${meeting.id}"]`).waitFor()

    // The print view: no app chrome, the meeting, the sign-in list and sheet, the text, the action item and the
    // signature block with the dissent; then saved as an A4 PDF.
    await secretary.goto(`${BASE_URL}${minutesPath}/print`)
    await secretary.getByTestId('print-signature').first().waitFor()
    await secretary.getByTestId('print-sheet').locator('img').waitFor()
    assert((await secretary.getByTestId('nav-bar').count()) === 0, 'the print view shows the app’s header')
    const paper = await secretary.getByTestId('minutes-paper').innerText()
    for (const expected of [meeting.title, '社区议事厅', '赵经理', '节假日照常', meeting.task, '建议写明清运须在早七点以后', '附意见同意', '李书记']) {
      assert(paper.includes(expected), `the printed minutes do not hold “${expected}”`)
    }
    assert((await secretary.locator('[data-testid="print-signature"]').count()) === 3, 'the printed signature block does not have three seats')
    await secretary.emulateMedia({ media: 'print' })
    assert(!(await secretary.getByTestId('print-button').isVisible()), 'the print button shows on paper')
    const pdf = await secretary.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
    await secretary.emulateMedia({ media: 'screen' })
    assert(pdf.subarray(0, 5).toString('latin1') === '%PDF-', 'page.pdf() did not give a PDF')
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
    assert(pages >= 1, 'the PDF has no page')
    mkdirSync(SHOTS, { recursive: true })
    writeFileSync(join(SHOTS, 'meeting-minutes.pdf'), pdf)
    console.log(`     the minutes printed to ${pages} A4 page(s), ${pdf.length} bytes`)

    for (const b of browsers) assert(b.errors.length === 0, b.errors.join('\n'))
  } catch (e) {
    for (const [i, b] of browsers.entries()) await screenshot(b.page, `meeting-minutes-failed-${i}`).catch(() => undefined)
    throw e
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined)
  }
}
