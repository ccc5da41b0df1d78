import { BUSINESS_DOMAINS } from '@hotline/contracts';
import { CATEGORY_TREE, flattenCategories } from './category-tree';

describe('category tree', () => {
  const rows = flattenCategories();

  it('has three levels, with hierarchical codes under their parents', () => {
    for (const row of rows) {
      expect(row.code.split('.')).toHaveLength(row.level);
      if (row.parentCode) expect(row.code.startsWith(`${row.parentCode}.`)).toBe(true);
    }
    expect(rows.filter((r) => r.level === 3).length).toBeGreaterThan(30);
  });

  it('covers every business domain, and a node is in its parent’s domain', () => {
    expect(new Set(CATEGORY_TREE.map((n) => n.domain))).toEqual(new Set(BUSINESS_DOMAINS));
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const row of rows) if (row.parentCode) expect(row.domain).toBe(byCode.get(row.parentCode)?.domain);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
  });
});
