export declare const NAMES: Record<string, string>;
export declare const HAND_WRITTEN: Set<string>;
export declare const RESERVED: Set<string>;
export declare function words(text: string): string[];
export declare function camel(words: string[]): string;
/** `namespace.method` (dot-separated path) of the client method for one operation. */
export declare function methodName(tag: string, operationId: string): string;
/** Whether the client pages through an operation: it takes a `cursor` and answers a JSON page with `has_more`. */
export declare function isPaginated(
  document: Record<string, unknown>,
  operation: Record<string, unknown>,
  pathParameters?: readonly Record<string, unknown>[],
): boolean;
