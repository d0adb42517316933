// The community secretary imports a sheet as a property company keeps it: a title and a blank line
// above the header, 楼栋 / 单元 / 房号 as numbers, 建筑面积(㎡), phones written with spaces, an
// owner column headed 户主, and neither an area source nor holder keys. She reads 户主 as the
// holder's name, chooses the area source for the whole sheet, checks the holders proposed from
// names and phones, imports, and finds the new units in the compound's unit list.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary corrects a column, chooses the area basis, confirms the proposed holders and imports a bare sheet'

const CSV = [
  '太阳城二期业主名册（物业提供）,,,,,',
  ',,,,,',
  '楼栋,单元,房号,建筑面积(㎡),户主,联系电话',
  '99,1,101,89.5,余秋实,139 0000 9901',
  '99,1,102,90.25,余秋实,139 0000 9901',
  '99,1,201,75,钟北辰,139 0000 9902',
  '99,2,101,66.6,闻一溪,',
].join('\n')

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'sanfang-roster-'))
  const file = join(dir, 'roster.csv')
  writeFileSync(file, `${CSV}\n`)
  const { page, errors, close } = await openBrowser({ viewport: { width: 1280, height: 900 } })
  try {
    await login(page, 'secretary')
    await page.getByTestId('compound-link').filter({ hasText: '太阳城二期' }).first().click()
    await page.waitForURL(/\/compounds\/\d+$/)
    const compoundPath = new URL(page.url()).pathname
    await page.getByTestId('compound-roster').click()
    await page.waitForURL(/\/compounds\/\d+\/roster$/)

    await page.getByTestId('roster-file').setInputFiles(file)
    await page.getByTestId('roster-dryrun').click()
    await page.getByTestId('roster-layout').waitFor()
    const header = await page.getByTestId('roster-header-line').innerText()
    assert(header.includes('3'), `the header is not found on line 3: ${header}`)
    const owner = page.getByTestId('roster-column').nth(4)
    assert((await owner.innerText()).includes('余秋实'), 'column E does not show its first values')
    const field = owner.getByTestId('roster-column-field')
    assert((await field.inputValue()) === '-', `户主 is read as ${await field.inputValue()} before correcting`)
    const importButton = page.getByTestId('roster-import')
    assert(await importButton.isDisabled(), 'import is enabled after a dry run with errors')

    await field.selectOption('holder_name')
    await page.getByTestId('roster-area-source-select').selectOption('registered')
    await page.getByTestId('roster-rerun').click()
    await page.getByTestId('roster-holders').waitFor()
    await page.getByTestId('roster-status').getByText('没有错误').waitFor()

    const holders = page.getByTestId('roster-holder')
    assert((await holders.count()) === 3, `expected 3 proposed holders, got ${await holders.count()}`)
    const first = await holders.first().innerText()
    assert(first.includes('余秋实') && first.includes('139****9901') && first.includes('99 1单元102'), `余秋实 is not one holder of two units: ${first}`)
    const applied = await page.getByTestId('roster-basis-applied').innerText()
    assert(applied.includes('不动产登记'), `the chosen area basis is not shown: ${applied}`)
    assert(await importButton.isDisabled(), 'import is enabled before the holders are confirmed')

    await page.getByTestId('roster-keys-checked').check()
    assert(await importButton.isEnabled(), 'import stays disabled once the holders are confirmed')
    await importButton.click()
    await page.locator('.van-dialog__confirm').click()
    await page.getByText('导入结果').waitFor()

    await page.goto(new URL(`${compoundPath}/units`, page.url()).href)
    await page.getByTestId('unit-search').locator('input').fill('余秋实')
    await page.getByTestId('search-submit').click()
    const units = page.getByTestId('unit-row')
    await units.filter({ hasText: '1单元102' }).first().waitFor()
    const texts = await units.allInnerTexts()
    assert(texts.length === 2, `expected 余秋实's two units, got ${texts.length}: ${texts.join(' | ')}`)
    assert(texts.every((t) => t.includes('99')), `the units are not in building 99: ${texts.join(' | ')}`)

    await screenshot(page, 'roster-sheet')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'roster-sheet-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
    rmSync(dir, { recursive: true, force: true })
  }
}
