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
export const PALETTE = ['#1989fa', '#07c160', '#ff976a', '#ee0a24', '#7232dd', '#ffd21e', '#00b7c3', '#8c8c8c'] as const
