/** vue-i18n setup: Chinese by default, English on request; the choice is remembered. */
import { computed } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import type { LocalizedText } from '../api/types';
import zh, { type Messages } from './zh';

export type AppLocale = 'zh' | 'en';

const storageKey = 'risk-map.locale';

function initialLocale(): AppLocale {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (stored === 'zh' || stored === 'en') return stored;
  } catch {
    // Storage may be blocked (private mode); Chinese is the default anyway.
  }
  return 'zh';
}

// Chinese is in the first load; English comes in its own chunk when it is chosen (or was chosen
// before), so most visitors neither download nor evaluate a second set of strings.
export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: 'zh',
  fallbackLocale: 'zh',
  messages: { zh } as Record<AppLocale, Messages>,
});

function applyDocumentLanguage(locale: AppLocale): void {
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}

async function loadMessages(locale: AppLocale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    i18n.global.setLocaleMessage('en', (await import('./en')).default);
  }
}

function remember(locale: AppLocale): void {
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // Not remembered; harmless.
  }
}

/** Switches the UI language (loading its strings first) and remembers it. */
export async function setLocale(locale: AppLocale): Promise<void> {
  await loadMessages(locale);
  i18n.global.locale.value = locale;
  applyDocumentLanguage(locale);
  remember(locale);
}

/**
 * Restores the language this browser chose before, its strings loaded: the app mounts once it is
 * there. Called when the app starts, not when this module loads: reading the choice is the page's
 * first access to local storage, which the browser opens then, and the module's evaluation is a
 * long enough task on a phone already.
 */
export async function restoreLocale(): Promise<void> {
  const locale = initialLocale();
  try {
    await loadMessages(locale);
    i18n.global.locale.value = locale;
  } catch (error) {
    // Offline without the English chunk: Chinese, which is always there.
    console.warn('UI strings unavailable, showing Chinese', error);
  }
  applyDocumentLanguage(i18n.global.locale.value);
}

/** The current locale plus a picker for `{ zh, en }` texts coming from the API. */
export function useAppLocale() {
  const { locale } = useI18n();
  const current = computed(() => locale.value as AppLocale);
  return {
    locale: current,
    pick: (text: LocalizedText | null | undefined): string =>
      text ? (current.value === 'en' ? text.en || text.zh : text.zh || text.en) : '',
  };
}
