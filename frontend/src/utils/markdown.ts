import MarkdownIt from 'markdown-it'

// Vote texts are written by people, so raw HTML in them is shown as text, never
// run: html off. Bare URLs stay plain text (linkify off), images are not loaded,
// and markdown-it's own link check already refuses javascript: and data: URLs.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true }).disable('image')

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]
  if (token) {
    token.attrSet('rel', 'noopener noreferrer nofollow')
    token.attrSet('target', '_blank')
  }
  return defaultLinkOpen(tokens, idx, options, env, self)
}

/** Markdown to HTML that is safe to put in the page: every tag in the input is escaped. */
export function renderMarkdown(source: string): string {
  return md.render(source)
}
