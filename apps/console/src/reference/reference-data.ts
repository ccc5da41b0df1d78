import { api } from '../api/client';

export interface Department {
  id: string;
  code: string;
  name: string;
  kind: 'region-bureau' | 'municipal-office';
  regionCode: string | null;
  active: boolean;
  version: number;
}

export interface CategoryNode {
  code: string;
  name: string;
  domain: string;
  children: CategoryNode[];
}

/** Reference data changes rarely: loaded once per tab, again after a failure. */
function cached<T>(load: () => Promise<T>): { get: () => Promise<T>; forget: () => void } {
  let value: Promise<T> | null = null;
  return {
    get: () => {
      value ??= load().catch((e) => {
        value = null;
        throw e;
      });
      return value;
    },
    forget: () => {
      value = null;
    },
  };
}

export const departments = cached(() => api.get<Department[]>('/api/departments'));
export const categories = cached(() => api.get<CategoryNode[]>('/api/categories'));
