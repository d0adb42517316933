import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'

/**
 * Vant's icon font is inlined as a data: URL with a fallback on a CDN. The
 * fallback is never needed and, under the server's Content-Security-Policy,
 * shows up as a console error (and would leak a request to a third party).
 */
function vantIconsOffline(): Plugin {
  return {
    name: 'sanfang:vant-icons-offline',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant\/es\/icon\/index\.css$/.test(id.split('?')[0] ?? '')) return null
      return { code: code.replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\("woff"\)/g, ''), map: null }
    },
  }
}

export default defineConfig({
  plugins: [vantIconsOffline(), vue(), Components({ dirs: [], resolvers: [VantResolver()], dts: 'src/components.d.ts' })],
  define: {
    // vue-i18n feature flags: composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    // The one chunk over 300 kB is ECharts (echarts/core with the gauge, bar, pie and line charts
    // and the SVG renderer), loaded only on a page that draws a chart; everything else stays
    // well under.
    chunkSizeWarningLimit: 400,
  },
})
