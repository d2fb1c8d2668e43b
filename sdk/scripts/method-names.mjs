// The SDK method that calls each operation, from its tag and operationId (`Members` +
// `createMember` → `members.create`); NAMES overrides the few that read better otherwise. Used by
// the SDK generator and by the document's code samples, so both always name the same method.

/** Curated names; the examples and docs use these. */
export const NAMES = {
  listProcedureTimeline: 'procedures.timeline',
  retrieveProcedureReceipt: 'procedures.receipt',
  uploadDocument: 'procedures.documents.upload',
  listDocuments: 'procedures.documents.list',
  downloadDocument: 'procedures.documents.download',
  respondToRequirement: 'procedures.requirements.respond',
  listProcedureNotifications: 'procedures.notifications.list',
  retrieveProcedureNotification: 'procedures.notifications.retrieve',
  // Opening is the legal access (art. 43.2 LPAC): the term starts, and the act's text is shown.
  accessProcedureNotification: 'procedures.notifications.open',
  // `delegationRequests.createBatch` is the client's upload-and-wait method; the raw calls sit under `batches`.
  createDelegationRequestBatch: 'delegationRequests.batches.create',
  retrieveDelegationRequestBatch: 'delegationRequests.batches.retrieve',
  listDelegationRequestBatchRows: 'delegationRequests.batches.listRows',
};
/** Client methods written by hand beside the generated ones. */
export const HAND_WRITTEN = new Set(['delegationRequests.createBatch']);
/** Members of the client that are not operations. */
export const RESERVED = new Set(['webhooks', 'forClient', 'constructor']);

export const words = (text) => text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g).map((w) => w.toLowerCase());
export const camel = (ws) => ws.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
const singular = (w) => w.replace(/s$/, '');

function mechanicalName(tag, operationId) {
  const namespace = camel(tag.toLowerCase().split(/\s+/));
  const tagWords = tag.toLowerCase().split(/\s+/);
  let ws = words(operationId);
  if (ws[0] === namespace && ws.length > 2) ws = ws.slice(1); // adminListOrganizations
  const [verb, ...rest] = ws;
  if (rest[0] === 'my') rest.shift(); // listMyDelegations, under the Citizen tag
  let i = 0;
  while (i < rest.length && i < tagWords.length && (rest[i] === tagWords[i] || rest[i] === singular(tagWords[i]))) i++;
  const method = camel([verb, ...rest.slice(i)]);
  return `${namespace}.${method === 'delete' ? 'del' : method}`;
}

/** `namespace.method` (dot-separated path) of the client method for one operation. */
export function methodName(tag, operationId) {
  return NAMES[operationId] ?? mechanicalName(tag, operationId);
}

/** A node of `document`, its `$ref` followed (to the end of a chain of them). */
function resolveIn(document, node) {
  return node?.$ref
    ? resolveIn(
        document,
        node.$ref
          .split('/')
          .slice(1)
          .reduce((n, k) => n?.[k], document),
      )
    : node;
}

/** The properties a schema declares, with those of its `allOf` parts (an extended schema). */
function propertiesOf(document, node) {
  const schema = resolveIn(document, node);
  return Object.assign({}, ...(schema?.allOf ?? []).map((part) => propertiesOf(document, part)), schema?.properties);
}

/**
 * Whether the client pages through an operation (its method answers a `PagePromise`): it takes a
 * `cursor` and answers a JSON page with `has_more`. Used by the SDK generator and by the code
 * samples, so both treat the same operations as lists.
 */
export function isPaginated(document, operation, pathParameters = []) {
  const takesCursor = [...pathParameters, ...(operation.parameters ?? [])].some(
    (p) => resolveIn(document, p)?.in === 'query' && resolveIn(document, p).name === 'cursor',
  );
  const success = Object.keys(operation.responses ?? {}).find((code) => code.startsWith('2'));
  const content = resolveIn(document, operation.responses?.[success])?.content ?? {};
  const json = Object.keys(content).find((t) => t.includes('json'));
  return takesCursor && json !== undefined && 'has_more' in propertiesOf(document, content[json].schema);
}
