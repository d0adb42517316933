import { computed, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { client, unwrap } from '@/api/client'
import type { useAuthStore } from '@/stores/auth'
import type { DeskGroup } from '@/utils/desk'
import { useDesk } from './desk'

/** The names of the communities and compounds the side navigation groups links by. */
export function useDeskNames(auth: ReturnType<typeof useAuthStore>) {
  const { t } = useI18n()
  const desk = useDesk()
  const fetched = ref(new Map<string, string>())
  const asked = new Set<number>()

  // A community office's compounds are named by the community's page; ask once per community.
  watch(
    () => [auth.me, desk.value] as const,
    ([me, wide]) => {
      if (!me || !wide) return
      for (const c of me.communities) {
        if (asked.has(c.community_id) || !c.can.view_community) continue
        asked.add(c.community_id)
        unwrap(client.GET('/api/v1/communities/{id}', { params: { path: { id: c.community_id } } }))
          .then((detail) => {
            const next = new Map(fetched.value)
            next.set(`community-${detail.community.id}`, detail.community.name)
            for (const compound of detail.compounds) next.set(`compound-${compound.id}`, compound.name)
            fetched.value = next
          })
          .catch((e: unknown) => console.warn('side navigation: could not read the community', e))
      }
    },
    { immediate: true },
  )

  const known = computed(() => {
    const names = new Map(fetched.value)
    for (const m of auth.memberships) {
      if (m.community_id != null && m.community_name) names.set(`community-${m.community_id}`, m.community_name)
      if (m.compound_id != null && m.compound_name) names.set(`compound-${m.compound_id}`, m.compound_name)
    }
    for (const h of auth.holdings) names.set(`compound-${h.compound_id}`, h.compound_name)
    return names
  })

  return (group: DeskGroup): string =>
    known.value.get(group.key) ?? t(group.kind === 'community' ? 'desk.nav.someCommunity' : 'desk.nav.someCompound', { id: group.id })
}
