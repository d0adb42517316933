import { describe, expect, it } from 'vitest'
import { applyMarkdown } from '../markdownEdit'

describe('the Markdown toolbar', () => {
  it('makes the selected words bold and keeps them selected', () => {
    const r = applyMarkdown('bold', '请按时缴费', 2, 4, '加粗文字')
    expect(r.text).toBe('请按**时缴**费')
    expect(r.text.slice(r.start, r.end)).toBe('时缴')
  })

  it('puts a placeholder to type over where nothing is selected', () => {
    const r = applyMarkdown('bold', '前后', 1, 1, '加粗文字')
    expect(r.text).toBe('前**加粗文字**后')
    expect(r.text.slice(r.start, r.end)).toBe('加粗文字')
  })

  it('turns the selected words into a link and selects the address to type', () => {
    const r = applyMarkdown('link', '见规约全文', 1, 5, '链接文字')
    expect(r.text).toBe('见[规约全文](https://)')
    expect(r.text.slice(r.start, r.end)).toBe('https://')
    const empty = applyMarkdown('link', '', 0, 0, '链接文字')
    expect(empty.text).toBe('[链接文字](https://)')
    expect(empty.text.slice(empty.start, empty.end)).toBe('链接文字')
  })

  it('marks every selected line as a list item, numbered or not, and a quote', () => {
    const text = '束犬链\n清理粪便\n夜间安静'
    expect(applyMarkdown('list', text, 0, text.length, '').text).toBe('- 束犬链\n- 清理粪便\n- 夜间安静')
    expect(applyMarkdown('numbered', text, 2, 6, '').text).toBe('1. 束犬链\n2. 清理粪便\n夜间安静')
    expect(applyMarkdown('quote', text, 5, 5, '').text).toBe('束犬链\n> 清理粪便\n夜间安静')
  })

  it('takes the mark away again when every selected line has it', () => {
    const text = '- 束犬链\n- 清理粪便'
    expect(applyMarkdown('list', text, 0, text.length, '').text).toBe('束犬链\n清理粪便')
    expect(applyMarkdown('numbered', '1. 一\n2. 二', 0, 9, '').text).toBe('一\n二')
  })

  it('makes the caret line a heading once, replacing a heading level, and keeps the caret in its words', () => {
    const r = applyMarkdown('heading', '标题\n正文', 1, 1, '')
    expect(r.text).toBe('## 标题\n正文')
    expect(r.start).toBe(4)
    expect(applyMarkdown('heading', '# 标题', 3, 3, '').text).toBe('## 标题')
    expect(applyMarkdown('heading', '## 标题', 3, 3, '').text).toBe('标题')
  })

  it('leaves the line after a selection of whole lines alone', () => {
    const text = '一\n二\n三'
    expect(applyMarkdown('quote', text, 0, 4, '').text).toBe('> 一\n> 二\n三')
  })
})
