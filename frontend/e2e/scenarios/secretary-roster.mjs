// The community secretary checks a roster sheet for 太阳城二期 and sees the bad row by its line number.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'secretary dry-runs a roster with a bad row and sees its line number'

const CSV = [
  '楼栋,房号,面积,面积来源,业主姓名,联系电话,业主编号',
  '1号楼,E2E-101,89.50,registered,测试甲,13800000001,E2E-001',
  '1号楼,E2E-102,90.25,registered,测试乙,13800000002,E2E-002',
  '1号楼,E2E-103,-3,registered,测试丙,13800000003,E2E-003', // line 4: a negative area
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
    await page.getByTestId('compound-roster').click()
    await page.waitForURL(/\/compounds\/\d+\/roster$/)

    const importButton = page.getByTestId('roster-import')
    assert(await importButton.isDisabled(), 'import is enabled before a dry run')
    await page.getByTestId('roster-file').setInputFiles(file)
    await page.getByTestId('roster-dryrun').click()

    const rows = page.getByTestId('roster-error-row')
    await rows.first().waitFor()
    const lines = await page.getByTestId('roster-error-line').allInnerTexts()
    assert(lines.map((l) => l.trim()).includes('4'), `no error for line 4; error lines: ${lines.join(', ')}`)
    const row4 = rows.filter({ has: page.getByTestId('roster-error-line').getByText('4', { exact: true }) })
    assert((await row4.count()) >= 1, 'the line-4 error row is missing')
    const message = await row4.first().innerText()
    assert(message.includes('须为正数'), `the error is not in Chinese: ${message}`)
    assert(await importButton.isDisabled(), 'import is enabled after a dry run with errors')

    await screenshot(page, 'secretary-roster')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'secretary-roster-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
    rmSync(dir, { recursive: true, force: true })
  }
}
