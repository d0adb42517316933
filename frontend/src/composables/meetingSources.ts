import { ref, shallowRef, watch, type Ref } from 'vue'
import { client, unwrap } from '@/api/client'
import { ApiError } from '@/api/http'
import type { ItemSource } from '@/api/meetings'
import { sourceValue } from '@/utils/meetings'
import { reportError } from './report'

/** Something a meeting's item may be drawn from. */
export interface SourceOption {
  value: string
  source: ItemSource
  id: number
  title: string
}

/** The most of each kind the lists are asked for: a meeting takes up what is current. */
const PER_PAGE = 50

/** What the caller may read of a list; a list they may not read (a 403) offers nothing. */
function orNothing<T>(list: Promise<T[]>): Promise<T[]> {
  return list.catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 403) return []
    throw e
  })
}

/** The open agendas, concerns, questionnaires and votes of one compound, and its conventions under consultation, from their lists. */
async function openIn(compoundId: number): Promise<SourceOption[]> {
  const path = { params: { path: { id: compoundId } } }
  const page = { params: { path: { id: compoundId }, query: { per_page: PER_PAGE } } }
  const option = (source: ItemSource, id: number, title: string): SourceOption => ({ value: sourceValue(source, id), source, id, title })
  const [agendas, concerns, questionnaires, votes, conventions] = await Promise.all([
    orNothing(unwrap(client.GET('/api/v1/compounds/{id}/agendas', page)).then((p) => p.items)),
    orNothing(unwrap(client.GET('/api/v1/compounds/{id}/concerns', page)).then((p) => p.items)),
    orNothing(unwrap(client.GET('/api/v1/compounds/{id}/questionnaires', path))),
    orNothing(unwrap(client.GET('/api/v1/compounds/{id}/votes', path))),
    orNothing(unwrap(client.GET('/api/v1/compounds/{id}/conventions', path))),
  ])
  return [
    ...agendas.filter((a) => a.status === 'open' || a.status === 'deliberating').map((a) => option('agenda', a.id, a.title)),
    ...concerns.filter((c) => c.status !== 'resolved' && c.status !== 'confirmed').map((c) => option('concern', c.id, c.excerpt)),
    ...questionnaires.filter((q) => q.status === 'published').map((q) => option('questionnaire', q.id, q.title)),
    ...votes.filter((v) => v.status === 'draft' || v.status === 'published' || v.status === 'open').map((v) => option('vote', v.id, v.title)),
    ...conventions.filter((c) => c.phase !== 'drafting').map((c) => option('convention', c.id, c.title)),
  ]
}

/** What the items of a meeting held by `compoundIds` may be drawn from; read again when the compounds change. */
export function useMeetingSources(compoundIds: Ref<number[]>) {
  const options = shallowRef<SourceOption[]>([])
  const loading = ref(false)
  let generation = 0

  watch(
    () => compoundIds.value.join(','),
    async () => {
      const mine = ++generation
      loading.value = true
      try {
        const lists = await Promise.all(compoundIds.value.map(openIn))
        if (mine !== generation) return
        const seen = new Set<string>()
        options.value = lists.flat().filter((o) => !seen.has(o.value) && seen.add(o.value))
      } catch (e) {
        if (mine === generation) reportError(e)
      } finally {
        if (mine === generation) loading.value = false
      }
    },
    { immediate: true },
  )

  return { options, loading }
}
