// A keyset-paged collection as the list pages show it: the items so far, the cursor of the
// next page, and loading and error states. Answers to superseded requests are dropped.

import { errorMessage } from '../lib/api';
import type { Page } from '../lib/types';

export type PageFetcher<T> = (cursor: string | null) => Promise<Page<T>>;

export class PagedList<T> {
  items = $state<T[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(true);
  loadingMore = $state(false);
  error = $state<string | null>(null);

  private seq = 0;
  private fetcher: PageFetcher<T> | null = null;
  private readonly key: (item: T) => string;

  constructor(key: (item: T) => string) {
    this.key = key;
  }

  /** Starts over with `fetcher` (new filters or sort): the first page replaces the items. */
  reset(fetcher: PageFetcher<T>): Promise<void> {
    this.fetcher = fetcher;
    return this.run(null);
  }

  /** Loads the first page again with the same fetcher. */
  reload(): Promise<void> {
    return this.fetcher ? this.run(null) : Promise.resolve();
  }

  /** Appends the next page, if there is one. */
  more(): Promise<void> {
    return this.fetcher && this.nextCursor ? this.run(this.nextCursor) : Promise.resolve();
  }

  /** Puts a changed item in place of the one with the same key. */
  replace(item: T): void {
    const k = this.key(item);
    const i = this.items.findIndex((x) => this.key(x) === k);
    if (i >= 0) this.items[i] = item;
  }

  /** Shows an item created on the page at the start or the end of the list, or in place of
   *  the one with the same key if a reload already brought it. */
  insert(item: T, at: 'start' | 'end'): void {
    const k = this.key(item);
    const i = this.items.findIndex((x) => this.key(x) === k);
    if (i >= 0) this.items[i] = item;
    else this.items = at === 'start' ? [item, ...this.items] : [...this.items, item];
  }

  remove(item: T): void {
    const k = this.key(item);
    this.items = this.items.filter((x) => this.key(x) !== k);
  }

  private async run(cursor: string | null): Promise<void> {
    const fetcher = this.fetcher;
    if (!fetcher) return;
    const seq = ++this.seq;
    if (cursor) this.loadingMore = true;
    else this.loading = true;
    this.error = null;
    try {
      const page = await fetcher(cursor);
      if (seq !== this.seq) return;
      if (cursor) {
        const known = new Set(this.items.map(this.key));
        this.items = [...this.items, ...page.items.filter((i) => !known.has(this.key(i)))];
      } else {
        this.items = page.items;
      }
      this.nextCursor = page.next_cursor;
    } catch (err) {
      if (seq === this.seq) this.error = errorMessage(err);
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.loadingMore = false;
      }
    }
  }
}
