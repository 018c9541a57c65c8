import { writeFileSync } from 'node:fs'
import { buildOpenApiDocument } from '../http/openapi-document.js'

// Writes openapi/openapi.json from the route schemas; a test fails when the committed file is stale.
const doc = await buildOpenApiDocument()
writeFileSync(new URL('../../openapi/openapi.json', import.meta.url), doc)
console.log('wrote openapi/openapi.json')
