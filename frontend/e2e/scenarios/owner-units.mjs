// An elderly owner on a small phone logs in and finds their homes with their areas.
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'owner001 sees their units on a 360×640 phone'

export async function run() {
  const { page, errors, close } = await openBrowser({ viewport: { width: 360, height: 640 } })
  try {
    await login(page, 'owner001')
    await page.getByTestId('home-my-units').click()
    await page.waitForURL(/\/units$/)

    const rows = page.getByTestId('unit-row')
    await rows.first().waitFor()
    const texts = await rows.allInnerTexts()
    assert(texts.length >= 2, `expected several unit rows, got ${texts.length}`)
    for (const text of texts) {
      assert(/\d+\.\d{2}\s*m²/.test(text), `unit row without an area in m²: ${JSON.stringify(text)}`)
    }
    const total = await page.getByTestId('holding-total').first().innerText()
    assert(/\d+\.\d{2}\s*m²/.test(total), `no total area: ${JSON.stringify(total)}`)

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`)
    const tabbar = await page.getByTestId('tab-units').boundingBox()
    assert(tabbar && tabbar.height >= 44, `tab bar item is ${tabbar?.height}px tall, below 44px`)

    await screenshot(page, 'owner-units')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'owner-units-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
  }
}
