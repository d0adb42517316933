import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'
import type { init as echartsInit } from 'echarts/core'

type Chart = ReturnType<typeof echartsInit>

/**
 * Draws an ECharts chart (SVG) into `el` once it is mounted, redraws it when `option` changes, follows the
 * element's size, and frees it on unmount. `init` comes from the chart's own ECharts build (gauges, lines,
 * results), so each page loads only the parts it draws.
 */
export function useChart<O extends Parameters<Chart['setOption']>[0]>(
  el: Readonly<Ref<HTMLElement | null>>,
  option: () => O,
  init: typeof echartsInit,
): void {
  let chart: Chart | null = null
  let observer: ResizeObserver | null = null

  onMounted(() => {
    if (!el.value) return
    chart = init(el.value, undefined, { renderer: 'svg' })
    chart.setOption(option())
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart?.resize())
      observer.observe(el.value)
    }
  })

  watch(option, (o) => chart?.setOption(o, { notMerge: true }))

  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })
}
