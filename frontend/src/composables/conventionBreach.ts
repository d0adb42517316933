import { computed, shallowRef, watch } from 'vue'
import { client, unwrap } from '@/api/client'
import type { ConventionChapter, ConventionView } from '@/api/conventions'
import { reportError } from './report'

/** An article of the text in force: its stable id, its number in that text (第八条) and its wording. */
export interface ArticleInForce {
  id: string
  label: string
  text: string
}

/**
 * The articles of the text in force whose breach the caller may report, by id: none unless the
 * convention is in force and the server lets the caller report somewhere. While a new version is being
 * drafted the page shows that one, so the text in force is read apart: an article new in the draft is
 * not in force, and one renumbered goes by its number in force.
 */
export function useArticlesInForce(convention: () => ConventionView | null | undefined) {
  const fetched = shallowRef<{ key: string; chapters: ConventionChapter[] } | null>(null)

  /** The convention with its version in force, when the caller may report a breach of it. */
  const reportable = computed(() => {
    const c = convention()
    return c?.in_force && c.phase !== 'repealed' && c.can.report_breach_in.length > 0 ? { c, version: c.in_force.version } : null
  })
  /** Which text in force to read apart, if one is: the convention and the version. */
  const apart = computed(() => {
    const r = reportable.value
    return r && r.version !== r.c.version ? { id: r.c.id, version: r.version, key: `${r.c.id}/${r.version}` } : null
  })

  watch(
    () => apart.value?.key,
    async () => {
      const want = apart.value
      if (!want || fetched.value?.key === want.key) return
      try {
        const v = await unwrap(client.GET('/api/v1/conventions/{id}/versions/{version}', { params: { path: { id: want.id, version: want.version } } }))
        fetched.value = { key: want.key, chapters: v.chapters }
      } catch (e) {
        reportError(e)
      }
    },
    { immediate: true },
  )

  return computed(() => {
    const want = apart.value
    const chapters = !reportable.value ? [] : want ? (fetched.value?.key === want.key ? fetched.value.chapters : []) : reportable.value.c.chapters
    return new Map<string, ArticleInForce>(chapters.flatMap((ch) => ch.articles).map((a) => [a.id, { id: a.id, label: a.label, text: a.text }]))
  })
}
