// Only the parts of ECharts the questionnaire results draw (bars and pies, SVG), registered on
// top of what the vote pages use. Reached only through lazily loaded components.
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts'
import { GridComponent, type GridComponentOption } from 'echarts/components'
import { init, use, type ComposeOption } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

use([BarChart, PieChart, GridComponent, SVGRenderer])

export type ResultChartOption = ComposeOption<BarSeriesOption | PieSeriesOption | GridComponentOption>

export { init }

/** Colours for options, in order: Vant's palette first. */
export const PALETTE = ['#0b63c9', '#0a7a3e', '#a84b00', '#c8102e', '#6a3bc0', '#8a6d00', '#00778a', '#6e6f72'] as const
