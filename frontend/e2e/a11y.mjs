// The checks the accessibility sweep runs on one rendered page: axe-core (WCAG 2.2 A and AA),
// the size of every tap target, and whether the page scrolls sideways.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's WCAG 2.0–2.2 A/AA rules plus its best practices (landmarks, one heading one). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/** Moderate in axe-core's terms, but a page without them cannot be navigated by its structure. */
const LANDMARKS = ['region', 'landmark-one-main', 'page-has-heading-one', 'landmark-unique', 'heading-order']

/** The critical and serious violations on the page, one line per rule with where it fails. */
export async function axeViolations(page) {
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy forbids inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
    }))
  }, TAGS)
  return result
    .filter((v) => v.impact === 'critical' || v.impact === 'serious' || LANDMARKS.includes(v.id))
    .map((v) => `axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 4).join('\n    ')}${v.nodes.length > 4 ? `\n    … ${v.nodes.length - 4} more` : ''}`)
}

/**
 * Controls smaller than `min` CSS pixels either way (WCAG 2.5.5/2.5.8). A link inside a run of text
 * is exempt (2.5.8's inline exception), and so is a visually hidden native control whose label is
 * the target (the file picker).
 */
export async function smallTargets(page, min) {
  return page.evaluate((min) => {
    const selector = [
      'a[href]',
      'button',
      'input:not([type=hidden])',
      'select',
      'textarea',
      '[role=button]',
      '[role=link]',
      '[role=checkbox]',
      '[role=radio]',
      '[role=switch]',
      '[role=tab]',
      '[role=option]',
      '[role=menuitem]',
      '[tabindex]:not([tabindex="-1"])',
    ].join(',')
    const small = []
    for (const el of document.querySelectorAll(selector)) {
      if (el.closest('[aria-hidden=true], [inert]') || el.disabled) continue
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || style.display === 'none') continue
      const rect = el.getBoundingClientRect()
      if (rect.width === 0 && rect.height === 0) continue
      // A visually hidden input whose <label> is what one taps.
      if (rect.width <= 1 && rect.height <= 1) continue
      if (style.display === 'inline' && el.tagName === 'A') {
        const text = (el.parentElement?.textContent ?? '').trim()
        if (text.length > (el.textContent ?? '').trim().length) continue
      }
      // A control inside a target that is already large enough (a cell or a label) counts as that target.
      const host = el.closest('label, .van-cell, .van-checkbox, .van-radio')
      const r = host && host !== el ? host.getBoundingClientRect() : rect
      if (Math.round(r.width) < min || Math.round(r.height) < min) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('placeholder') ?? '').trim().slice(0, 30)
        const id = el.getAttribute('data-testid') ?? el.className?.toString().split(' ')[0] ?? ''
        small.push(`${el.tagName.toLowerCase()}${id ? `.${id}` : ''} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`)
      }
    }
    return small
  }, min)
}

/** How far the page scrolls sideways, in CSS pixels (0 when it reflows). */
export async function sidewaysScroll(page) {
  return page.evaluate(() => {
    const doc = document.documentElement
    return Math.max(doc.scrollWidth, document.body.scrollWidth) - doc.clientWidth
  })
}

/** The elements wider than the viewport that cause sideways scrolling, for the failure message. */
export async function widestElements(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const out = []
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect()
      if (r.right > width + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed') {
        const inside = [...el.children].some((c) => c.getBoundingClientRect().right > width + 1)
        if (!inside) out.push(`${el.tagName.toLowerCase()}.${el.className?.toString().split(' ')[0] ?? ''} right=${Math.round(r.right)}`)
      }
      if (out.length >= 3) break
    }
    return out
  })
}
