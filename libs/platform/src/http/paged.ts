import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern's constructor type
type Constructor = new (...args: any[]) => object;

/** The last page number a list accepts (far beyond any real list; keeps OFFSET a sane integer). */
export const MAX_PAGE = 100_000;

/** The largest page any list answers. */
export const MAX_PAGE_SIZE = 200;

/** Adds `page` (from 1) and `pageSize` (1–200) to a list's query. */
export function Paged<T extends Constructor>(Base: T, defaultPageSize = 20) {
  class PagedQuery extends Base {
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(MAX_PAGE)
    page: number = 1;

    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(MAX_PAGE_SIZE)
    pageSize: number = defaultPageSize;
  }
  return PagedQuery;
}
