import { createApp } from 'vue';
import './styles/main.css';
import App from './App.vue';
import { i18n, localeReady } from './i18n';
import { afterNextPaint } from './public/afterPaint';
import { askForOpeningZones } from './public/openingZones';
import { router } from './router';

askForOpeningZones();

// The header in index.html is painted first, then the app mounts: a slow phone shows the page's
// frame at once rather than a blank screen while the app builds itself.
afterNextPaint(() => void localeReady.then(() => createApp(App).use(router).use(i18n).mount('#app')));
