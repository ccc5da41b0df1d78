import { Table, TableProps } from 'antd';
import { Loaded } from '../api/hooks';
import { EmptyHint, LoadError } from './ui';

export type ListTableProps<R> = Omit<TableProps<R>, 'dataSource' | 'loading' | 'size'> & {
  /** What the page loaded: its error is shown above the rows, with a retry. */
  loaded: Loaded<unknown>;
  rows: readonly R[];
  /** What an empty list says. */
  empty: string;
};

/**
 * A list the page loaded, as every console list shows one: its load error with a retry, then
 * the rows, 20 a page. The spinner shows only while there is nothing to show, so a live reload
 * does not blank the list under the user's eyes.
 */
export function ListTable<R extends object>({ loaded, rows, empty, ...table }: ListTableProps<R>) {
  return (
    <>
      <LoadError error={loaded.error} retry={() => void loaded.reload()} />
      <Table<R>
        size="small"
        loading={loaded.loading && rows.length === 0}
        dataSource={rows as R[]}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyHint text={empty} /> }}
        {...table}
      />
    </>
  );
}
