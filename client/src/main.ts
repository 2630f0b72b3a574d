import { createApp } from 'vue';
import './styles/main.css';
import App from './App.vue';
import { i18n, restoreLocale } from './i18n';
import { afterNextPaint } from './public/afterPaint';
import { askForOpeningZones } from './public/openingZones';
import { createAppRouter } from './router';

askForOpeningZones();

// The header in index.html is painted first; then, each in the task after a paint so that none is
// one long task on a slow phone: the router and the language (the first navigation, local
// storage), then the app's mount (the header; App.vue builds the page in the task after it).
afterNextPaint(() => {
  const app = createApp(App).use(createAppRouter());
  void restoreLocale().then(() => {
    app.use(i18n);
    afterNextPaint(() => app.mount('#app'));
  });
});
