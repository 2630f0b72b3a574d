import { createApp } from 'vue';
import './styles/main.css';
import App from './App.vue';
import { i18n } from './i18n';
import { askForOpeningZones } from './public/openingZones';
import { router } from './router';

askForOpeningZones();

const mount = () => createApp(App).use(router).use(i18n).mount('#app');

// The header in index.html is painted first: mounting waits for the frame after it (a
// requestAnimationFrame callback runs just before a paint, the timeout just after), so a slow
// phone shows the page's frame at once rather than a blank screen while the app builds itself.
if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
  requestAnimationFrame(() => setTimeout(mount, 0));
} else {
  mount();
}
