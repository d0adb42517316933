// The owners' committee drafts a special matter with an attachment, checks the rule in plain
// words before publishing, and publishes it; the vote is then announced.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { assert, login, openBrowser, screenshot } from '../lib.mjs'

export const name = 'committee drafts a special-matter vote, previews its rule and publishes it'

const TITLE = '筹集维修资金用于外墙修缮（E2E）'

/** A 4×4 PNG, made here so the test ships no binary file. */
function tinyPng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf) => {
    let c = 0xffffffff
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(4, 0)
  ihdr.writeUInt32BE(4, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(4).fill([0x19, 0x89, 0xfa]).flat())])
  const raw = Buffer.concat(Array(4).fill(row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'sanfang-vote-'))
  const file = join(dir, '外墙修缮方案.png')
  writeFileSync(file, tinyPng())
  const { page, errors, close } = await openBrowser()
  try {
    await login(page, 'committee')
    await page.getByTestId('home-vote-new').first().click()
    await page.waitForURL(/\/compounds\/\d+\/votes\/new$/)

    await page.getByTestId('vote-title-input').fill(TITLE)
    await page.getByTestId('vote-body-input').fill('## 方案\n\n1. 外墙渗水修缮\n2. 费用按面积分摊')
    // The matter picker: "筹集维修资金" is a special matter.
    await page.getByTestId('rule-preview-empty').waitFor()
    await page.locator('.sf-select').filter({ hasText: '事项类别' }).click()
    await page.locator('.van-picker-column__item').filter({ hasText: '筹集维修资金' }).click()
    await page.locator('.van-picker__confirm').click()
    const rule = page.getByTestId('vote-rule-text')
    await rule.waitFor()
    const text = await rule.innerText()
    assert(text.startsWith('特别事项') && text.includes('四分之三以上'), `the preview shows the wrong rule: ${text}`)

    await page.getByTestId('vote-attachment-input').setInputFiles(file)
    await page.getByTestId('file-row').filter({ hasText: '外墙修缮方案.png' }).waitFor()
    await screenshot(page, 'committee-draft-form')

    await page.getByTestId('vote-save').click()
    await page.waitForURL(/\/votes\/\d+$/)
    assert((await page.getByTestId('vote-status').first().getAttribute('data-status')) === 'draft', 'the saved vote is not a draft')
    assert((await page.getByTestId('vote-rule-text').innerText()).startsWith('特别事项'), 'the draft page shows the wrong rule')
    await page.getByTestId('vote-attachments').filter({ hasText: '外墙修缮方案.png' }).waitFor()

    await page.getByTestId('vote-publish').click()
    const dialog = page.locator('.van-dialog')
    await dialog.filter({ hasText: '四分之三以上' }).waitFor()
    await page.locator('.van-dialog__confirm').click()
    await page.locator('[data-testid="vote-status"][data-status="published"]').waitFor()
    await screenshot(page, 'committee-published')
    assert(errors.length === 0, errors.join('\n'))
  } catch (e) {
    await screenshot(page, 'committee-draft-failed').catch(() => undefined)
    throw e
  } finally {
    await close()
    rmSync(dir, { recursive: true, force: true })
  }
}
