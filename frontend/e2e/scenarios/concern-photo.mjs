// An owner on a small phone raises a concern with a photo; the community office routes it to the
// property company, which replies and marks it resolved; the owner rates it and confirms.
import { BASE_URL, assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'owner007 raises a concern with a photo, the property company replies, the owner rates it (360×640)'

/** A small valid PNG (4×4 pixels) with a text chunk naming a place, which the server strips. */
function photo() {
  const hex =
    '89504e470d0a1a0a0000000d49484452000000040000000408020000002693092900000020744558744c6f636174696f6e004e6f' +
    '72746820676174652033392e394e203131362e344593aced2a0000001049444154789c6350683800470cc4710032521601e760bc' +
    'c00000000049454e44ae426082'
  return Buffer.from(hex, 'hex')
}

async function as(user, fn) {
  const { page, errors, close } = await openBrowser({ viewport: { width: 360, height: 640 } })
  try {
    await login(page, user)
    await fn(page)
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, `concern-${user}-failed`).catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}

export async function run() {
  let concernUrl = ''
  const text = `北门外垃圾又堆起来了（${Date.now()}）`

  await as('owner007', async (page) => {
    const entry = page.locator('[data-testid^="home-concerns-"]').first()
    await entry.click()
    await page.waitForURL(/\/compounds\/\d+\/concerns$/)
    await page.getByTestId('concern-new').click()
    await page.waitForURL(/\/concerns\/new$/)

    // Sent without a category: the page comes back to the category, below the nav bar, and the
    // message goes as soon as one is chosen.
    await page.getByTestId('concern-text').fill(text)
    await page.getByTestId('concern-submit').click()
    const missing = page.getByTestId('concern-category').locator('.van-field__error-message')
    await missing.filter({ hasText: '请选择类别' }).waitFor()
    await page.waitForTimeout(100)
    const bar = await page.getByTestId('nav-bar').boundingBox()
    const field = await page.getByTestId('concern-category').boundingBox()
    assert(bar && field && field.y >= bar.y + bar.height, `the category field is under the nav bar (${field?.y} < ${bar ? bar.y + bar.height : '?'})`)
    await page.getByTestId('concern-category').click()
    await page.locator('.van-picker-column__item', { hasText: '环境卫生' }).first().click()
    await page.locator('.van-picker__confirm').click()
    await missing.waitFor({ state: 'detached' })
    await page.getByTestId('concern-location').fill('北门外路面')
    await page.getByTestId('concern-photo-input').setInputFiles({ name: 'north-gate.png', mimeType: 'image/png', buffer: photo() })
    await page.getByTestId('photo-preview').first().waitFor()
    await page.getByTestId('concern-submit').click()
    await page.waitForURL(/\/concerns\/\d+$/)
    concernUrl = new URL(page.url()).pathname

    await page.getByTestId('concern-photo').first().waitFor()
    const status = await page.getByTestId('concern-status').first().getAttribute('data-status')
    assert(status === 'submitted', `new concern is ${status}`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`)
    await screenshot(page, 'concern-raised')
  })

  await as('secretary', async (page) => {
    await page.goto(`${BASE_URL}${concernUrl}`)
    await page.getByTestId('concern-route').click()
    await page.getByTestId('concern-assigned').filter({ hasText: '物业' }).waitFor()
  })

  await as('property', async (page) => {
    // The routing notice is in the property manager's inbox and leads to the concern.
    await page.getByTestId('tab-inbox').click()
    await page.getByTestId('inbox-item').filter({ hasText: '诉求转交' }).first().click()
    await page.waitForURL(/\/concerns\/\d+$/)
    assert(new URL(page.url()).pathname === concernUrl, 'the inbox notice leads elsewhere')
    await page.getByTestId('concern-photo').first().waitFor()
    await page.getByTestId('concern-acknowledge').click()
    await page.getByTestId('concern-status').and(page.locator('[data-status="acknowledged"]')).waitFor()
    await page.getByTestId('reply-text').fill('已安排清运单位今天下午清运并消毒。')
    await page.getByTestId('concern-reply').click()
    await page.getByTestId('timeline-note').filter({ hasText: '清运并消毒' }).waitFor()
    await page.getByTestId('concern-resolve').click()
    await page.getByTestId('concern-status').and(page.locator('[data-status="resolved"]')).waitFor()
  })

  await as('owner007', async (page) => {
    await page.goto(`${BASE_URL}${concernUrl}`)
    await page.getByTestId('timeline-note').filter({ hasText: '清运并消毒' }).waitFor()
    // Five stars, then confirm.
    await page.getByTestId('concern-rate').locator('.van-rate__item').nth(4).click()
    await page.getByTestId('concern-rate-submit').click()
    await page.getByTestId('concern-rating').waitFor()
    await page.getByTestId('concern-confirm').click()
    await page.getByTestId('concern-status').and(page.locator('[data-status="confirmed"]')).waitFor()
    const steps = await page.getByTestId('timeline-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))
    for (const s of ['raised', 'photo_added', 'routed', 'acknowledged', 'replied', 'resolved', 'rated', 'confirmed']) {
      assert(steps.includes(s), `timeline lacks ${s}: ${steps.join(',')}`)
    }
    assert((await page.getByTestId('concern-rating').innerText()).includes('5'), 'the rating is not shown')
    await screenshot(page, 'concern-rated')
  })
}
