// Only the parts of ECharts the vote pages draw (gauges, SVG), so the chart chunk
// stays as small as ECharts allows. Reached only through lazily loaded components.
import { GaugeChart, type GaugeSeriesOption } from 'echarts/charts'
import { init, use, type ComposeOption } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

use([GaugeChart, SVGRenderer])

export type ChartOption = ComposeOption<GaugeSeriesOption>

export { init }

/** The palette of the app (the theme's colours, at least 3:1 on white as graphics need). */
export const COLORS = {
  primary: '#0b63c9',
  success: '#0a7a3e',
  danger: '#d1132a',
  track: '#ebedf0',
  zone: '#d6f5e3',
  text: '#323233',
  text2: '#646566',
} as const
