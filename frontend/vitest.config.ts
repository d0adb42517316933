import { fileURLToPath } from 'node:url'
import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      root: fileURLToPath(new URL('./', import.meta.url)),
      include: ['src/**/__tests__/*.spec.ts'],
      // Both languages' messages are loaded before every test file, as the app loads the one in use.
      setupFiles: ['src/__tests__/setup.ts'],
      server: { deps: { inline: ['vant'] } },
    },
  }),
)
