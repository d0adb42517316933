import { describe, expect, it, vi } from 'vitest'
import { nextTick, reactive } from 'vue'
import { loadForScope, type HomeScope } from '@/composables/homeScope'

describe('loadForScope', () => {
  it('loads at once, again when the compounds or communities change, and not when nothing did', async () => {
    const scope = reactive<HomeScope>({ compounds: [{ id: 7 }], communityIds: [1] })
    const load = vi.fn(async () => {})
    loadForScope(scope, load)
    expect(load).toHaveBeenCalledTimes(1)

    scope.compounds = [{ id: 7 }, { id: 8 }]
    await nextTick()
    expect(load).toHaveBeenCalledTimes(2)

    scope.communityIds = [1, 2]
    await nextTick()
    expect(load).toHaveBeenCalledTimes(3)

    scope.compounds = [{ id: 7 }, { id: 8 }]
    await nextTick()
    expect(load).toHaveBeenCalledTimes(3)
  })
})
