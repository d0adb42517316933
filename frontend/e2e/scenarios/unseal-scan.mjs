// The scan of a secret vote's signed slip is sealed once the slip is confirmed. The secretary asks
// to unseal it with a reason and cannot approve his own request; the committee chair, of the other
// party, approves; then the secretary opens the scan, while the community worker still may not.
import { BASE_URL, DEMO_PASSWORD, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary asks to unseal a secret slip’s scan, the committee approves, the secretary opens it and staff still cannot'

const SERIAL = `S-${Date.now() % 100000}`
const REASON = '业主对计票结果有异议，须核对原票'
// A 1×1 PNG: the scan of the signed slip.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

async function api(method, path, token, body, type = 'application/json') {
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body,
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

async function token(login) {
  return (await api('POST', '/auth/login', null, { login, password: DEMO_PASSWORD })).access_token
}

/** A secret vote with one confirmed paper slip whose scan is sealed; returns the vote and the scan. */
async function sealedSlip() {
  const [committee, staff, secretary] = [await token('committee'), await token('staff'), await token('secretary')]
  const [community] = await api('GET', '/communities', secretary)
  const detail = await api('GET', `/communities/${community.id}`, secretary)
  const tyc = detail.compounds.find((c) => c.name === '太阳城二期').id
  const now = Date.now()
  const vote = await api('POST', `/compounds/${tyc}/votes`, committee, {
    title: `无记名表决 ${SERIAL}`,
    body: '无记名表决，纸质票扫描件封存。',
    matter: 'covenant',
    form: 'motion',
    secret: true,
    opens_at: new Date(now).toISOString(),
    closes_at: new Date(now + 3_600_000).toISOString(),
  })
  await api('POST', `/votes/${vote.id}/publish`, committee, {})
  const units = await api('GET', `/compounds/${tyc}/units?q=${encodeURIComponent('2单元302')}`, staff)
  const unit = units.find((u) => u.building_name === '5号楼')
  const scan = await api('POST', `/compounds/${tyc}/files?name=slip.png`, staff, PNG, 'image/png')
  const slip = await api('POST', `/votes/${vote.id}/paper-ballots`, staff, {
    holder_id: unit.holder_id,
    serial: SERIAL,
    choice: 'agree',
    scan_file_id: scan.id,
  })
  await api('POST', `/votes/${vote.id}/paper-ballots/${slip.id}/confirm`, secretary, {})
  return { vote: vote.id, scan: scan.id, staff }
}

function slipRow(page) {
  return page.locator(`[data-testid="paper-counted-row"][data-serial="${SERIAL}"]`)
}

async function openSlip(page, vote) {
  await page.goto(`${BASE_URL}/votes/${vote}/paper`)
  const row = slipRow(page)
  await row.getByTestId('paper-scan-sealed').waitFor()
  return row
}

async function approveInDialog(page) {
  await page.locator('.van-dialog').filter({ hasText: '七天内' }).locator('.van-dialog__confirm').click()
}

export async function run() {
  const { vote, scan, staff } = await sealedSlip()
  let { page, errors, close } = await openBrowser()
  let step = 'request'
  try {
    await login(page, 'secretary')
    let row = await openSlip(page, vote)
    assert((await row.getByTestId('paper-scan').count()) === 0, 'a sealed scan is offered before any unsealing')
    await row.getByTestId('unseal-request').click()
    const sheet = page.getByTestId('unseal-sheet')
    await sheet.waitFor()
    assert((await sheet.innerText()).includes('审计记录'), 'the request sheet does not say both steps are recorded')
    await page.getByTestId('unseal-reason').fill(REASON)
    await page.getByTestId('unseal-submit').click()
    const request = row.getByTestId('unseal-row').first()
    await request.waitFor()
    assert((await request.getAttribute('data-state')) === 'waiting', 'the new request is not waiting for approval')
    assert((await request.innerText()).includes(REASON), 'the request does not show its reason')
    await screenshot(page, 'unseal-requested')

    step = 'own-approval'
    await request.getByTestId('unseal-approve').click()
    await approveInDialog(page)
    await page.locator('.van-notify').filter({ hasText: '另一方' }).waitFor()
    assert((await request.getAttribute('data-state')) === 'waiting', 'the requester approved his own request')
    const refused = errors.filter((e) => !/status of 409/.test(e))
    assert(refused.length === 0, refused.join('\n'))
    await close()

    step = 'approve'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'committee')
    row = await openSlip(page, vote)
    await row.getByTestId('unseal-toggle').click()
    const waiting = row.getByTestId('unseal-row').first()
    await waiting.getByTestId('unseal-approve').click()
    await approveInDialog(page)
    await row.locator('[data-testid="unseal-row"][data-state="approved"]').waitFor()
    assert((await row.getByTestId('unseal-until').innerText()).startsWith('有效至'), 'the approval does not say until when')
    await screenshot(page, 'unseal-approved')
    assert(errors.length === 0, errors.join('\n'))
    await close()

    step = 'open'
    ;({ page, errors, close } = await openBrowser())
    await login(page, 'secretary')
    row = await openSlip(page, vote)
    await row.getByTestId('unseal-toggle').click()
    const open = row.getByTestId('paper-scan')
    await open.waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), open.click()])
    assert(download.suggestedFilename().startsWith(`paper-${SERIAL}`), `the scan downloads as ${download.suggestedFilename()}`)
    await screenshot(page, 'unseal-open')
    assert(errors.length === 0, errors.join('\n'))

    step = 'others'
    const res = await fetch(`${BASE_URL}/api/v1/files/${scan}`, { headers: { authorization: `Bearer ${staff}` } })
    const body = await res.json()
    assert(res.status === 403 && body.error.code === 'scan_sealed', `staff opened the scan: ${res.status}`)
  } catch (e) {
    await screenshot(page, `unseal-${step}-failed`).catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
