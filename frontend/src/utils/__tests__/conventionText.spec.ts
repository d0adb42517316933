import { describe, expect, it } from 'vitest'
import { chineseNumber, draftBody, editText, errorPlace, moveArticle, moveChapter, newArticle, numberText } from '@/utils/conventionText'

describe('chineseNumber', () => {
  it.each([
    [1, '一'],
    [2, '二'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [19, '十九'],
    [20, '二十'],
    [21, '二十一'],
    [99, '九十九'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [111, '一百一十一'],
    [120, '一百二十'],
    [205, '二百零五'],
    [1000, '一千'],
    [1001, '一千零一'],
    [1010, '一千零一十'],
    [1100, '一千一百'],
  ])('writes %i as %s', (n, text) => {
    expect(chineseNumber(n)).toBe(text)
  })
})

describe('numberText', () => {
  it('counts articles on across chapters and leaves an untitled first chapter unnumbered', () => {
    const n = numberText([
      { title: '', articles: [1, 2] },
      { title: '总则', articles: [1] },
      { title: '附则', articles: Array.from({ length: 8 }) },
    ])
    expect(n.chapters.map((c) => c.label)).toEqual([null, '第一章', '第二章'])
    expect(n.chapters[0]?.articles).toEqual(['第一条', '第二条'])
    expect(n.chapters[1]?.articles).toEqual(['第三条'])
    expect(n.chapters[2]?.articles.at(-1)).toBe('第十一条')
  })

  it('numbers a titled first chapter', () => {
    expect(numberText([{ title: '总则', articles: [1] }]).chapters[0]).toEqual({ label: '第一章', articles: ['第一条'] })
  })
})

describe('the working copy', () => {
  const body = {
    preamble: '为了……',
    chapters: [
      { id: 'c1', title: '总则', articles: [{ id: 'a1', text: '甲' }, { id: 'a2', text: '乙' }] },
      { id: 'c2', title: '附则', articles: [{ id: 'a3', text: '丙' }] },
    ],
  }

  it('keeps the ids of what was saved and sends none for what is new', () => {
    const text = editText(body)
    text.chapters[1]?.articles.push(newArticle('丁'))
    const sent = draftBody(text)
    expect(sent.chapters[0]).toEqual(body.chapters[0])
    expect(sent.chapters[1]?.articles).toEqual([{ id: 'a3', text: '丙' }, { text: '丁' }])
  })

  it('moves an article within its chapter and over a chapter’s edge', () => {
    const text = editText(body)
    expect(moveArticle(text, 0, 1, -1)).toBe(true)
    expect(text.chapters[0]?.articles.map((a) => a.id)).toEqual(['a2', 'a1'])
    expect(moveArticle(text, 0, 1, 1)).toBe(true)
    expect(text.chapters[1]?.articles.map((a) => a.id)).toEqual(['a1', 'a3'])
    expect(moveArticle(text, 0, 0, -1)).toBe(false)
    expect(moveChapter(text, 1, -1)).toBe(true)
    expect(text.chapters.map((c) => c.id)).toEqual(['c2', 'c1'])
  })

  it('reads where a field error points', () => {
    expect(errorPlace('chapters[1].articles[2].text')).toEqual({ chapter: 1, article: 2 })
    expect(errorPlace('chapters[0].title')).toEqual({ chapter: 0, article: null })
    expect(errorPlace('title')).toBeNull()
  })
})
