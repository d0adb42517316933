import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import ConcernFormView from '@/views/ConcernFormView.vue'
import { apiError, freshPage, json, mockFetch, openAt, tokens } from '@/__tests__/helpers'

vi.mock('@/composables/compoundCategories', () => ({
  compoundAndCategories: async () => ({
    compound: { compound: { name: '太阳城二期' }, buildings: [] },
    categories: [{ id: 5, name_zh: '环境卫生', name_en: 'Sanitation' }],
  }),
}))

let pinia: Pinia
beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

async function mountForm(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compounds/:id/concerns/new', name: 'concern-new', component: ConcernFormView },
      { path: '/concerns/:id', name: 'concern', component: { template: '<div />' } },
    ],
  })
  return openAt(ConcernFormView, router, '/compounds/1/concerns/new', pinia)
}

/** Opens the category sheet and confirms the first category, the way Vant's picker does. */
async function chooseCategory(wrapper: VueWrapper): Promise<void> {
  await wrapper.get('[data-testid="concern-category"] .van-cell').trigger('click')
  await flushPromises()
  wrapper.findComponent({ name: 'van-picker' }).vm.$emit('confirm', { selectedValues: [5] })
  await flushPromises()
}

function errorsShown(wrapper: VueWrapper): string[] {
  return wrapper.findAll('.van-field__error-message').map((e) => e.text())
}

describe('ConcernFormView', () => {
  it('drops "请选择类别" as soon as a category is chosen, and brings the field into view', async () => {
    mockFetch(() => json(200, {}))
    const scrollTo = vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined)
    const wrapper = await mountForm()

    await wrapper.get('[data-testid="concern-submit"]').trigger('click')
    await flushPromises()
    expect(errorsShown(wrapper)).toEqual(['请选择类别'])
    expect(scrollTo).toHaveBeenCalled()

    await chooseCategory(wrapper)
    expect(errorsShown(wrapper)).toEqual([])
    wrapper.unmount()
  })

  it('drops the server\'s message on the text once the text is changed', async () => {
    mockFetch(() => apiError(422, 'validation_failed', '请检查', { fields: { text: '请填写诉求内容' } }))
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined)
    const wrapper = await mountForm()
    await chooseCategory(wrapper)

    await wrapper.get('[data-testid="concern-submit"]').trigger('click')
    await flushPromises()
    expect(errorsShown(wrapper)).toEqual(['请填写诉求内容'])
    await wrapper.get('[data-testid="concern-text"]').setValue('北门垃圾没有清运')
    expect(errorsShown(wrapper)).toEqual([])
    wrapper.unmount()
  })
})
