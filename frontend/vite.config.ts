import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { messages } from './plugins/messages.ts'

/**
 * Vant's icon font is inlined in its CSS as a 40 kB data: URL (with a fallback on a CDN that the
 * server's Content-Security-Policy refuses). Inlined, it blocks the first paint of every page;
 * so it is written out as a font file of its own that the browser fetches once an icon is drawn,
 * with `font-display: block` (icons are glyphs in a private area: a fallback font would draw boxes).
 */
function vantIconFont(): Plugin {
  const dir = fileURLToPath(new URL('./node_modules/.cache/sanfang', import.meta.url))
  const font = join(dir, 'vant-icon.woff2')
  return {
    name: 'sanfang:vant-icon-font',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0] ?? ''
      if (!/vant\/es\/icon\/index\.css$/.test(file)) return null
      const data = /url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/.exec(code)
      if (!data?.[1]) throw new Error('sanfang:vant-icon-font: no inlined woff2 in Vant\'s icon CSS')
      mkdirSync(dir, { recursive: true })
      writeFileSync(font, Buffer.from(data[1], 'base64'))
      const url = relative(dirname(file), font).split(sep).join('/')
      const rewritten = code
        .replace(data[0], `url(${url})`)
        .replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\("woff"\)/g, '')
        .replace(/font-display:\s*auto/, 'font-display:block')
      return { code: rewritten, map: null }
    },
  }
}

/**
 * vue-i18n reads `getCurrentInstance` off `import * as Vue from 'vue'` with a computed key (first
 * trying `currentInstance`, which Vue does not export). A computed key keeps every export of Vue
 * in the bundle: hydration, Suspense, KeepAlive, custom elements, some 13 kB gzipped on every page.
 * Read by its name, the rest of Vue is left out.
 */
function vueI18nNamedLookup(): Plugin {
  const lookup = /const key = 'currentInstance';\s*if \(key in Vue\) \{\s*return Vue\[key\];\s*\}\s*else \{\s*return Vue\.getCurrentInstance\(\);\s*\}/
  return {
    name: 'sanfang:vue-i18n-named-lookup',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vue-i18n[\\/]dist[\\/][^/\\]+\.mjs$/.test(id.split('?')[0] ?? '')) return null
      if (!lookup.test(code)) throw new Error('sanfang:vue-i18n-named-lookup: vue-i18n no longer looks Vue up this way')
      return { code: code.replace(lookup, 'return Vue.getCurrentInstance();'), map: null }
    },
  }
}

export default defineConfig({
  plugins: [
    vantIconFont(),
    vueI18nNamedLookup(),
    messages({ dir: fileURLToPath(new URL('./src/locales', import.meta.url)), locales: ['zh-CN', 'en'] }),
    vue(),
    Components({ dirs: [], resolvers: [VantResolver()], dts: 'src/components.d.ts' }),
  ],
  define: {
    // Every component (ours, Vant's, the router's) is written with setup(): no Options API in the bundle.
    __VUE_OPTIONS_API__: 'false',
    // vue-i18n feature flags: composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    // The messages come compiled (plugins/messages.ts): vue-i18n's message compiler stays out.
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
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
    rolldownOptions: {
      preserveEntrySignatures: false,
      output: {
        strictExecutionOrder: true,
        codeSplitting: {
          groups: [
            // The framework every page runs on, one long-cached file.
            {
              name: 'vendor',
              test: (id) => /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify|openapi-fetch)[\\/]|rolldown[\\/]runtime/.test(id),
              priority: 20,
            },
          ],
          // The many small pieces shared by a few pages (a Vant component with its style, a helper)
          // go into the pages that use them: a page loads a few files rather than forty.
          experimentalInlineCommonChunks: { maxSize: 100_000 },
        },
      },
    },
  },
})
