// Five owners of 北门小院 co-sign the demo agenda on their phones. Four are not enough; the fifth
// brings the co-signers to 20 % of the area and of the owners, and the statutory marker appears.
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'five owners of 北门小院 co-sign until the 20 % marker appears; four are not enough (360×640)'

export async function run() {
  const owners = ['owner-bm01', 'owner-bm02', 'owner-bm03', 'owner-bm04', 'owner-bm05']
  for (const [i, owner] of owners.entries()) {
    const { page, errors, close } = await openBrowser({ viewport: { width: 360, height: 640 } })
    try {
      await login(page, owner)
      await page.locator('[data-testid^="home-agendas-"]').first().click()
      await page.waitForURL(/\/compounds\/\d+\/agendas$/)
      await page.getByTestId('agenda-row').filter({ hasText: '电动自行车' }).first().click()
      await page.waitForURL(/\/agendas\/\d+$/)

      const before = await page.getByTestId('cosign-progress').getAttribute('data-reached')
      assert(before === 'false', `${owner}: the agenda already reached 20 % before co-sign ${i + 1}`)
      assert((await page.getByTestId('statutory-marker').count()) === 0, `${owner}: the marker shows too early`)
      const button = page.getByTestId('agenda-cosign')
      const box = await button.boundingBox()
      assert(box && box.height >= 44, `the co-sign button is ${box?.height}px tall`)
      await button.click()
      await page.getByTestId('agenda-cosigned').waitFor()
      const heads = await page.getByTestId('cosign-heads').innerText()
      assert(heads.includes(`${i + 1} / 22`), `${owner}: heads line reads ${JSON.stringify(heads)}`)

      const reached = await page.getByTestId('cosign-progress').getAttribute('data-reached')
      if (i < 4) {
        assert(reached === 'false', `${owner}: ${i + 1} co-signers should not reach 20 %`)
        assert((await page.getByTestId('statutory-marker').count()) === 0, `${owner}: the marker shows after ${i + 1}`)
      } else {
        await page.getByTestId('statutory-marker').waitFor()
        assert(reached === 'true', 'five co-signers should reach 20 %')
        assert((await page.getByTestId('statutory-marker').innerText()).includes('临时业主大会'), 'the marker does not name the assembly')
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        assert(overflow <= 0, `the page scrolls sideways by ${overflow}px at 360px`)
        await screenshot(page, 'agenda-statutory')
      }
      assert(errors.length === 0, errors.join('\n'))
    } catch (e) {
      await screenshot(page, `agenda-${owner}-failed`).catch(() => undefined)
      throw e
    } finally {
      await close()
    }
  }
}
