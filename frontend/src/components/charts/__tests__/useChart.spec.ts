import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref, useTemplateRef } from 'vue'
import { mount } from '@vue/test-utils'
import { useChart } from '@/components/charts/useChart'

describe('useChart', () => {
  it('draws once mounted, redraws the whole chart when the option changes, and frees it on unmount', async () => {
    const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() }
    const init = vi.fn(() => chart)
    const option = ref({ series: [{ type: 'gauge' as const, data: [{ value: 40 }] }] })
    const Host = defineComponent({
      setup() {
        const el = useTemplateRef<HTMLDivElement>('el')
        useChart(el, () => option.value, init as never)
        return () => h('div', { ref: 'el' })
      },
    })
    const wrapper = mount(Host)
    expect(init).toHaveBeenCalledWith(wrapper.element, undefined, { renderer: 'svg' })
    expect(chart.setOption).toHaveBeenLastCalledWith(option.value)

    option.value = { series: [{ type: 'gauge', data: [{ value: 60 }] }] }
    await nextTick()
    expect(chart.setOption).toHaveBeenLastCalledWith(option.value, { notMerge: true })

    wrapper.unmount()
    expect(chart.dispose).toHaveBeenCalled()
  })
})
