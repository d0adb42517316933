import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import type { CategoryView } from '@/api/types'
import { i18n } from '@/i18n'
import { useListFilters, type ListFilters } from '@/composables/listFilters'

const greening = { id: 4, name_zh: '绿化', name_en: 'Greening' } as CategoryView

function filters(area: 'agendas' | 'concerns'): ListFilters {
  let out: ListFilters | undefined
  mount(defineComponent({ setup: () => ((out = useListFilters(area)), () => h('div')) }), { global: { plugins: [i18n] } })
  return out!
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('useListFilters', () => {
  it('offers every category first, then the community\'s categories in the reader\'s language', () => {
    const f = filters('concerns')
    f.categories.value = [greening]
    expect(f.categoryOptions.value).toEqual([
      { text: i18n.global.t('concerns.allCategories'), value: 0 },
      { text: '绿化', value: 4 },
    ])
    i18n.global.locale.value = 'en'
    expect(f.categoryName(greening)).toBe('Greening')
  })

  it('offers every party first, then the three parties, in the words of the list', () => {
    const f = filters('agendas')
    expect(f.partyOptions.value.map((o) => o.value)).toEqual(['', 'community_office', 'property_company', 'owners_committee'])
    expect(f.partyOptions.value[0]!.text).toBe(i18n.global.t('agendas.allParties'))
  })
})
