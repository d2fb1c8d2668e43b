export interface PageData<T = unknown> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * What list methods return. Awaited, it is the first page `{ data, has_more, next_cursor }`;
 * iterated with `for await`, it yields every item of every page, following `next_cursor`;
 * `.pages()` yields the pages themselves and `.toArray({ limit })` collects items.
 * Nothing is requested until it is awaited or iterated.
 */
export class PagePromise<Page extends PageData> implements PromiseLike<Page>, AsyncIterable<Page['data'][number]> {
  #first: Promise<Page> | undefined;
  readonly #fetchPage: (cursor: string | undefined) => Promise<Page>;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page>) {
    this.#fetchPage = fetchPage;
  }

  #firstPage(): Promise<Page> {
    return (this.#first ??= this.#fetchPage(undefined));
  }

  then<A = Page, B = never>(
    onfulfilled?: ((page: Page) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<Page | B> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Page> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every page in turn, following `next_cursor`: `for await (const page of list.pages())`. */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    let page = await this.#firstPage();
    for (;;) {
      yield page;
      if (!page.has_more || !page.next_cursor) return;
      page = await this.#fetchPage(page.next_cursor);
    }
  }

  /**
   * The items of every page in one array. `limit` is required so that a list which keeps
   * growing cannot fill memory: collection stops once that many items are in hand (no page
   * beyond the one that reaches it is requested).
   */
  async toArray({ limit }: { limit: number }): Promise<Array<Page['data'][number]>> {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError('toArray: `limit` must be a non-negative integer');
    const items: Array<Page['data'][number]> = [];
    if (limit === 0) return items;
    for await (const page of this.pages()) {
      for (const item of page.data) {
        items.push(item);
        if (items.length >= limit) return items;
      }
    }
    return items;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Page['data'][number]> {
    for await (const page of this.pages()) yield* page.data;
  }
}
