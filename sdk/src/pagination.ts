export interface PageData<T = unknown> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * What list methods return. Awaited, it is the first page `{ data, has_more, next_cursor }`;
 * iterated with `for await`, it yields every item of every page, following `next_cursor`.
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

  async *[Symbol.asyncIterator](): AsyncIterator<Page['data'][number]> {
    let page = await this.#firstPage();
    for (;;) {
      yield* page.data;
      if (!page.has_more || !page.next_cursor) return;
      page = await this.#fetchPage(page.next_cursor);
    }
  }
}
