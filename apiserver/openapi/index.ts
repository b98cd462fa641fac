/**
 * OpenAPI v3 documents and strict field validation for the API server.
 *
 * - `openapiIndex()` / `openapiDocument(gv)` (+ `…Json` forms with content hashes) serve
 *   `/openapi/v3` and `/openapi/v3/<gv>?hash=…`;
 * - `unknownFields`, `duplicateFields`, `typeErrors` judge a request body the way
 *   kube-apiserver's decoder does, and `strictDecodingError` / `strictWarnings` /
 *   `decodeErrorMessage` word the result.
 *
 * All data comes from the generated schema table (see generate-schemas.ts) and is built
 * once at load.
 */
export { openapiIndex, openapiIndexJson, openapiDocument, openapiDocumentJson } from './document';
export {
  unknownFields, typeErrors, duplicateFields, strictWarnings, strictDecodingError, decodeErrorMessage,
  isValidQuantity, QUANTITY_FORMAT_ERROR, type FieldTypeError,
} from './strict';
export { schemaNameFor, kindSchemas } from './schema';
