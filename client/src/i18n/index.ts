/** vue-i18n setup: Chinese by default, English on request; the choice is remembered. */
import { computed } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import type { LocalizedText } from '../api/types';
import en from './en';
import zh from './zh';

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

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh',
  messages: { zh, en },
});

function applyDocumentLanguage(locale: AppLocale): void {
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}

applyDocumentLanguage(i18n.global.locale.value as AppLocale);

/** Switches the UI language and remembers it. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  applyDocumentLanguage(locale);
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // Not remembered; harmless.
  }
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
