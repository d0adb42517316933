import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '@/utils/markdown'

describe('vote text rendering', () => {
  it('renders headings, emphasis and numbered articles', () => {
    const html = renderMarkdown('## 公约\n\n1. 束犬链\n2. 清理粪便\n\n**违反**的劝导')
    expect(html).toContain('<h2>公约</h2>')
    expect(html).toMatch(/<ol>\s*<li>束犬链<\/li>\s*<li>清理粪便<\/li>\s*<\/ol>/)
    expect(html).toContain('<strong>违反</strong>')
  })

  it('shows raw HTML as text, never as markup', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('refuses script links, loads no images and leaves bare URLs as text', () => {
    const html = renderMarkdown('[点我](javascript:alert(1)) ![图](http://example.com/a.png) http://example.com')
    expect(html).not.toContain('href="javascript:')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('href="http://example.com"')
  })

  it('opens ordinary links in a new tab without handing over the page', () => {
    const html = renderMarkdown('[规约](https://example.com/rules)')
    expect(html).toContain('href="https://example.com/rules"')
    expect(html).toContain('rel="noopener noreferrer nofollow"')
  })
})
