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
useSettingsStore()
app.use(createAppRouter())
installKeyboardPress()
app.mount('#app')
