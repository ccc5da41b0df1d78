import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { MESSAGES, MessageKey } from './messages';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'hotline.lang';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** The message in the current language, with `{name}` filled from `vars`. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** The name of a wire value (see labels.ts); the value itself when it has none. */
  name: (names: Record<string, readonly [string, string]>, value: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18n>(() => {
    const index = lang === 'zh' ? 0 : 1;
    return {
      lang,
      setLang,
      t: (key, vars) => {
        const text: string = MESSAGES[key]?.[index] ?? key;
        return vars ? text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? '')) : text;
      },
      name: (names, v) => (v ? (names[v]?.[index] ?? v) : ''),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
