import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { generateOpenApiDocument, serialiseDocument } from './openapi-document';

const target = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
writeFileSync(target, serialiseDocument(generateOpenApiDocument()));
console.log(`wrote ${target}`);
