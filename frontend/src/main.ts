import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'vant/es/toast/style'
import 'vant/es/notify/style'
import 'vant/es/dialog/style'
import './styles/main.css'
import App from './App.vue'
import { i18n, loadLocale } from './i18n'
import { createAppRouter } from './router'
import { useSettingsStore } from './stores/settings'
import { installKeyboardPress } from './utils/keyboard'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
const settings = useSettingsStore()
app.use(createAppRouter())
installKeyboardPress()
// The first render waits for the messages of the reader's language (the route's chunk loads meanwhile).
loadLocale(settings.locale)
  .catch((e: unknown) => console.error('the messages could not be loaded', e))
  .finally(() => app.mount('#app'))
