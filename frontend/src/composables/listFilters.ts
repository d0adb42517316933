import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { CategoryView, PartyKind } from '@/api/types'
import { useFormat } from './format'

const PARTY_KINDS = ['community_office', 'property_company', 'owners_committee'] as const

export interface ListFilters {
  /** The community's categories, once the page has read them. */
  categories: ShallowRef<CategoryView[]>
  /** A category's name in the reader's language. */
  categoryName: (c: CategoryView) => string
  /** "All categories" (0), then the community's categories. */
  categoryOptions: ComputedRef<{ text: string; value: number }[]>
  /** "All parties" (''), then the three parties. */
  partyOptions: ComputedRef<{ text: string; value: PartyKind | '' }[]>
}

/** The category and party choices above the agenda and concern lists; `area` names their "all" entries. */
export function useListFilters(area: 'agendas' | 'concerns'): ListFilters {
  const { t, locale } = useI18n()
  const categories = shallowRef<CategoryView[]>([])
  const fmt = useFormat()
  const categoryName = (c: CategoryView): string => (locale.value.startsWith('zh') ? c.name_zh : c.name_en)
  const categoryOptions = computed(() => [
    { text: t(`${area}.allCategories`), value: 0 },
    ...categories.value.map((c) => ({ text: categoryName(c), value: c.id })),
  ])
  const partyOptions = computed(() => [
    { text: t(`${area}.allParties`), value: '' as PartyKind | '' },
    ...PARTY_KINDS.map((k) => ({ text: fmt.partyKind(k), value: k })),
  ])
  return { categories, categoryName, categoryOptions, partyOptions }
}
