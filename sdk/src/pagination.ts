export interface PageData<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/**
 * The first page when awaited; every item of every page when iterated with `for await`.
 */
export class PagePromise<T> implements PromiseLike<PageData<T>>, AsyncIterable<T> {
  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<PageData<T>>, private readonly cursor?: string) {}

  then<A = PageData<T>, B = never>(onfulfilled?: ((value: PageData<T>) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.fetchPage(this.cursor).then(onfulfilled, onrejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let cursor = this.cursor;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield* page.data;
      if (!page.has_more || !page.next_cursor) return;
      cursor = page.next_cursor;
    }
  }
}
