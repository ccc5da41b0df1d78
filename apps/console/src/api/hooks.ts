import { App, FormInstance } from 'antd';
import { DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ApiError } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads data for a view; keeps the last data while reloading (no flicker on the 30-second
 * refresh) and never throws: a failure is in `error` for the view to show.
 */
export function useLoad<T>(loader: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const current = useRef<AbortController | null>(null);
  // The caller names what the loader depends on, as with useEffect.
  const load = useCallback(loader, deps);
  const reload = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    try {
      const value = await load(controller.signal);
      if (!controller.signal.aborted) {
        setData(value);
        setError(undefined);
      }
    } catch (e) {
      if (!controller.signal.aborted) setError(e instanceof ApiError ? e : new ApiError(0, [String(e)], []));
    } finally {
      if (!controller.signal.aborted) setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
    return () => current.current?.abort();
  }, [reload]);
  return { data, error, loading, reload };
}

/** The words for a failed call, in the console's language. */
export function useErrorText(): (error: unknown) => string {
  const { t, lang } = useI18n();
  return (error) => {
    if (!(error instanceof ApiError)) return t('common.failed');
    if (error.status === 0) return t('common.networkError');
    if (error.fieldErrors.length) {
      return error.fieldErrors.map((f) => (lang === 'zh' && f.messageZh ? f.messageZh : f.message)).join('；');
    }
    const base =
      error.status === 403 ? t('common.forbidden') : error.status === 404 ? t('common.notFound') : error.status === 409 ? t('common.conflict') : t('common.failed');
    return error.messages.length ? `${base}：${error.messages.join('；')}` : base;
  };
}

/**
 * Runs an action with a toast for the outcome. Field errors go next to their fields when a form
 * is given (antd setFields, nested paths like caller.phone); the rest become a toast.
 */
export function useAction() {
  const { message } = App.useApp();
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(action: () => Promise<T>, options: { form?: FormInstance; success?: string } = {}): Promise<T | undefined> => {
      setBusy(true);
      try {
        const result = await action();
        if (options.success) void message.success(options.success);
        return result;
      } catch (error) {
        if (error instanceof ApiError && options.form && error.fieldErrors.length) {
          const known = new Set(Object.keys(flatten(options.form.getFieldsValue())));
          const shown = error.fieldErrors.filter((f) => known.has(f.field));
          options.form.setFields(
            shown.map((f) => ({ name: f.field.split('.'), errors: [lang === 'zh' && f.messageZh ? f.messageZh : f.message] })),
          );
          const rest = error.fieldErrors.filter((f) => !known.has(f.field));
          void message.error(rest.length ? errorText(new ApiError(400, [], rest)) : t('common.fixFields'));
        } else {
          void message.error(errorText(error));
        }
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [message, t, lang, errorText],
  );
  return { run, busy };
}

/** `{caller: {phone}}` → `{'caller.phone': …}`, to know which API fields the form shows. */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = prefix ? `${prefix}.${k}` : k;
      out[key] = v;
      flatten(v, key, out);
    }
  }
  return out;
}
