import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'vant/es/toast/style'
import 'vant/es/notify/style'
import 'vant/es/dialog/style'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { createAppRouter } from './router'
import { useSettingsStore } from './stores/settings'
import { installKeyboardPress } from './utils/keyboard'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
// Creating the settings brings the reader's language (Vant's texts; the router loads the page's messages).
useSettingsStore()
const router = createAppRouter()
app.use(router)
installKeyboardPress()
// The first render waits for the first page: its messages and its code.
router
  .isReady()
  .catch((e: unknown) => console.error('the first page could not be loaded', e))
  .finally(() => app.mount('#app'))
