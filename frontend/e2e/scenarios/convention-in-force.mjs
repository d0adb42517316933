// A residents' convention of its own, from a binding vote to a breach answered: the committee chair of 太阳城二期
// puts it to the owners from the convention page at a desk (the compound gives no notice period, so the vote opens
// at once and closes in about ninety seconds) and publishes the vote; paper ballots carry it (entered by one clerk,
// confirmed by another, through the API); once the vote has closed it is in force. An owner on a 360×640 phone
// confirms it (知晓承诺) and reports a breach of one article with a photo, which goes straight to the property
// company; the property manager answers at a desk and the owner reads the answer. The secretary's concern dashboard
// counts the report under 公约违反报告.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'convention in force: voted by the owners, confirmed on a phone, an article’s breach reported with a photo and answered'

const DESK = { width: 1366, height: 768 }
const PHONE = { width: 360, height: 640 }
/** How long the vote stays open: time enough to enter the paper ballots. */
const VOTE_SECONDS = 90

async function api(path, { token, method = 'GET', body } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

const signIn = async (login) => (await api('/auth/login', { method: 'POST', body: { login, password: DEMO_PASSWORD } })).access_token

/** A small valid PNG (4×4 pixels): the photo of the breach. */
function photo() {
  const hex =
    '89504e470d0a1a0a0000000d49484452000000040000000408020000002693092900000020744558744c6f636174696f6e004e6f' +
    '72746820676174652033392e394e203131362e344593aced2a0000001049444154789c6350683800470cc4710032521601e760bc' +
    'c00000000049454e44ae426082'
  return Buffer.from(hex, 'hex')
}

/** `date` as a datetime-local value in this machine's time zone (the browser's), to the second. */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0')
  const minute = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
  // The browser writes a whole minute without its seconds; the value must read back as typed.
  return date.getSeconds() ? `${minute}:${pad(date.getSeconds())}` : minute
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert(overflow <= 0, `${what} scrolls sideways by ${overflow}px at 360px`)
}

const centi = (area) => Math.round(Number(area) * 100)

/**
 * Signed paper slips that agree, for the largest households first, until the turnout is past the quorum (two
 * thirds of the area and of the heads) with a little to spare: one clerk enters each, the secretary confirms it.
 */
async function paperBallots(vote, compound) {
  const [staff, secretary] = [await signIn('staff'), await signIn('secretary')]
  const { quorum_needed: needed } = await api(`/votes/${vote}/turnout`, { token: secretary })
  const holders = (await api(`/compounds/${compound}/holders`, { token: secretary }))
    .filter((h) => !h.is_developer && h.units > 0)
    .sort((a, b) => centi(b.area) - centi(a.area))
  const counted = { heads: 0, area: 0 }
  const enough = () => counted.heads >= needed.headcount + 3 && counted.area >= centi(needed.area) * 1.02
  let next = 0
  async function clerk() {
    while (!enough() && next < holders.length) {
      const h = holders[next++]
      const slip = await api(`/votes/${vote}/paper-ballots`, { token: staff, method: 'POST', body: { holder_id: h.id, serial: `CF-${h.id}`, choice: 'agree' } })
      await api(`/votes/${vote}/paper-ballots/${slip.id}/confirm`, { token: secretary, method: 'POST', body: {} })
      counted.heads += 1
      counted.area += centi(h.area)
    }
  }
  await Promise.all(Array.from({ length: 6 }, clerk))
  assert(enough(), `only ${counted.heads} households could be entered (${needed.headcount} needed)`)
  return counted.heads
}

/** Waits for the server to close the vote (it closes due votes every few seconds) and answers its result. */
async function closed(vote, token, timeout) {
  const until = Date.now() + timeout
  for (;;) {
    const v = await api(`/votes/${vote}`, { token })
    if (v.status === 'closed' && v.result) return v.result
    assert(Date.now() < until, `the vote is still ${v.status} ${timeout / 1000}s later`)
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

export async function run() {
  const stamp = Date.now().toString(36)
  const title = `文明邻里公约（${stamp}）`
  const committee = await signIn('committee')
  const compound = (await api('/me', { token: committee })).memberships.find((m) => m.compound_name === '太阳城二期')?.compound_id
  assert(compound, 'the committee chair holds no role in 太阳城二期')
  const convention = await api(`/compounds/${compound}/conventions`, { token: committee, method: 'POST', body: { kind: 'residents', title, template: 'residents' } })

  const browsers = []
  const open = async (options) => {
    const b = await openBrowser(options)
    browsers.push(b)
    return b.page
  }
  try {
    // At a desk the committee chair puts the text to the owners: a vote that opens now and closes in ninety seconds.
    const desk = await open({ viewport: DESK })
    await login(desk, 'committee')
    await desk.goto(`${BASE_URL}/conventions/${convention.id}`)
    await desk.locator('.sf-convention[data-phase="drafting"]').waitFor()
    await desk.getByTestId('convention-put').click()
    await desk.getByTestId('adoption-sheet').waitFor()
    await desk.getByTestId('adoption-route-vote').click()
    // The sheet proposes a window of its own once it knows the notice period; ours goes in after.
    await desk.waitForFunction(() => document.querySelector('[data-testid="adoption-opens-at"]')?.value)
    const now = new Date()
    now.setMilliseconds(0)
    await desk.getByTestId('adoption-opens-at').fill(localInput(now))
    await desk.getByTestId('adoption-closes-at').fill(localInput(new Date(now.getTime() + VOTE_SECONDS * 1000)))
    await desk.getByTestId('adoption-submit').click()
    await desk.getByTestId('adoption-sheet').waitFor({ state: 'hidden' })
    await desk.getByTestId('convention-adopting').waitFor()

    // The vote is drafted on the text's fingerprint; the chair checks it on the vote's page and publishes it.
    await desk.getByTestId('convention-publish-vote').click()
    await desk.waitForURL(/\/votes\/\d+$/)
    const vote = Number(new URL(desk.url()).pathname.split('/')[2])
    await desk.getByTestId('vote-publish').click()
    await desk.locator('.van-dialog__confirm').click()
    await desk.locator('[data-testid="vote-status"][data-status="open"]').first().waitFor()

    // Paper ballots carry it; then the vote closes on time and passes.
    const ballots = await paperBallots(vote, compound)
    const result = await closed(vote, committee, (VOTE_SECONDS + 120) * 1000)
    assert(result.quorum_met && result.passed === true, `the vote did not pass with ${ballots} paper ballots: ${JSON.stringify(result)}`)

    await desk.goto(`${BASE_URL}/conventions/${convention.id}`)
    await desk.locator('.sf-convention[data-phase="in_force"]').waitFor()
    assert((await desk.getByTestId('convention-in-force').innerText()).trim() === '现行有效', 'the banner does not say 现行有效')
    assert((await desk.getByTestId('convention-status').getAttribute('data-route')) === 'vote', 'the convention is not in force by the vote')
    await desk.getByTestId('convention-vote-link').first().waitFor()
    await screenshot(desk, 'convention-in-force-desk')

    // An owner on a phone comes by the printed text's QR code (#acknowledge) and confirms it for the household.
    const phone = await open({ viewport: PHONE })
    await login(phone, 'owner001')
    await phone.goto(`${BASE_URL}/conventions/${convention.id}#acknowledge`)
    await phone.getByTestId('convention-in-force').waitFor()
    const household = phone.getByTestId('ack-household').first()
    await household.getByTestId('ack-button').click()
    await household.getByTestId('ack-done').waitFor()
    assert((await household.getByTestId('ack-done').innerText()).includes('已确认'), 'the household is not shown confirmed')
    await noSidewaysScroll(phone, 'the convention in force')

    // A breach of the second article, reported from the article with what happened, where and a photo.
    const article = phone.getByTestId('convention-article').nth(1)
    const articleId = await article.getAttribute('data-article')
    const label = await article.getAttribute('data-label')
    await article.getByTestId('convention-breach').click()
    const sheet = phone.getByTestId('breach-sheet')
    await sheet.waitFor()
    const head = await phone.getByTestId('breach-article').innerText()
    assert(head.includes(`《${title}》${label}`), `the sheet is not headed with the article: ${head}`)
    const what = `晚上十点后楼上还在装修，电钻声很大（${stamp}）`
    await phone.getByTestId('breach-text').fill(what)
    await phone.getByTestId('breach-location').fill('5号楼2单元')
    await phone.getByTestId('breach-photos').setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: photo() })
    await phone.getByTestId('breach-photos-picked').first().waitFor()
    await noSidewaysScroll(phone, 'the breach sheet')
    await screenshot(phone, 'convention-breach-sheet')
    await phone.getByTestId('breach-submit').click()
    await phone.waitForURL(/\/concerns\/\d+$/)
    const concernPath = new URL(phone.url()).pathname

    // The concern says which article was broken, leads back to the convention, and is already with its enforcer.
    const breach = phone.getByTestId('concern-breach')
    await breach.waitFor()
    assert((await breach.innerText()).includes(`违反《${title}》${label}`), `the concern does not name the article: ${await breach.innerText()}`)
    assert((await breach.getAttribute('href')) === `/conventions/${convention.id}`, 'the breach line does not lead to the convention')
    assert((await breach.getAttribute('data-article')) === articleId, 'the concern names another article')
    await phone.getByTestId('concern-photo').first().waitFor()
    await phone.locator('[data-testid="concern-status"][data-status="routed"]').first().waitFor()
    await phone.getByTestId('concern-assigned').filter({ hasText: '物业' }).waitFor()
    const steps = await phone.getByTestId('timeline-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))
    assert(steps.includes('raised') && steps.includes('routed'), `the timeline lacks raised or routed: ${steps.join(',')}`)
    // The platform routed it by the convention's rule: the reporter is not named as the one who routed it.
    const ownerName = (await api('/me', { token: await signIn('owner001') })).user.display_name
    const routedText = await phone.locator('[data-testid="timeline-step"][data-step="routed"]').first().innerText()
    assert(!routedText.includes(ownerName), `the routing is told as the reporter's: ${routedText}`)
    await noSidewaysScroll(phone, 'the breach report')
    await screenshot(phone, 'convention-breach-concern')

    // The property manager, at a desk, takes it up and answers.
    const property = await open({ viewport: DESK })
    await login(property, 'property')
    await property.goto(`${BASE_URL}${concernPath}`)
    await property.getByTestId('concern-breach').waitFor()
    await property.getByTestId('concern-acknowledge').click()
    await property.locator('[data-testid="concern-status"][data-status="acknowledged"]').first().waitFor()
    const answer = '已联系装修住户，晚上十点后停止施工，并在单元门口张贴了公约。'
    await property.getByTestId('reply-text').fill(answer)
    await property.getByTestId('concern-reply').click()
    await property.getByTestId('timeline-note').filter({ hasText: '停止施工' }).waitFor()

    // The owner reads the answer on the phone.
    await phone.reload()
    await phone.getByTestId('timeline-note').filter({ hasText: '停止施工' }).waitFor()
    await noSidewaysScroll(phone, 'the answered breach report')
    await screenshot(phone, 'convention-breach-answered')

    // The secretary's dashboard counts it under the article, this month.
    const secretary = await open({ viewport: DESK })
    await login(secretary, 'secretary')
    const [community] = await api('/communities', { token: await signIn('secretary') })
    await secretary.goto(`${BASE_URL}/community/${community.id}/dashboard`)
    const row = secretary.locator(`[data-testid="breach-row"][data-article="${articleId}"]`).filter({ hasText: title })
    await row.waitFor()
    assert((await row.innerText()).includes('1 次'), `the dashboard does not count the report: ${await row.innerText()}`)

    // The community's register: the sorting pledge names the consultation whose minutes adopted it, one tap away.
    await secretary.goto(`${BASE_URL}/communities/${community.id}/convention-register`)
    const pledge = secretary.getByTestId('register-entry').filter({ hasText: '垃圾分类倡议' })
    await pledge.waitFor()
    const minutes = pledge.getByTestId('adoption-minutes').first()
    assert((await minutes.innerText()).includes('三方协同协商会议'), `the pledge does not name its meeting: ${await minutes.innerText()}`)
    await minutes.click()
    await secretary.waitForURL(/\/meetings\/\d+$/)

    for (const b of browsers) assert(b.errors.length === 0, b.errors.join('\n'))
  } catch (e) {
    for (const [i, b] of browsers.entries()) await screenshot(b.page, `convention-in-force-failed-${i}`).catch(() => undefined)
    throw e
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined)
  }
}
