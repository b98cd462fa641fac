/**
 * OpenAPI v3 documents and strict field validation for the API server.
 *
 * - `openapiIndex()` / `openapiDocument(gv)` (+ `…Json` forms with content hashes) serve
 *   `/openapi/v3` and `/openapi/v3/<gv>?hash=…`;
 * - `unknownFields`, `duplicateFields`, `typeErrors` (or `inspect` for both in one walk)
 *   judge a request body the way kube-apiserver's decoder does, and
 *   `strictDecodingError` / `strictWarnings` / `decodeErrorMessage` word the result;
 *   `pruneUnknownFields` drops unknown fields as Ignore/Warn do.
 *
 * Suggested order for a write: JSON.parse (400 on syntax) → `typeErrors` (400,
 * `decodeErrorMessage(gvk, first.message)`) → per fieldValidation: Strict =
 * `unknownFields` + `duplicateFields(raw)` → 400 `decodeErrorMessage(gvk,
 * strictDecodingError(…))`; Warn = the same as `Warning` headers, then prune; Ignore =
 * prune → defaults → validation.
 *
 * All data comes from the generated schema table (see generate-schemas.ts) and is built
 * once at load.
 */
export { openapiIndex, openapiIndexJson, openapiDocument, openapiDocumentJson } from './document';
export {
  inspect, unknownFields, pruneUnknownFields, typeErrors, duplicateFields, strictWarnings, strictDecodingError, decodeErrorMessage,
  isValidQuantity, QUANTITY_FORMAT_ERROR, type FieldTypeError, type Findings,
} from './strict';
export { schemaNameFor, kindSchemas } from './schema';
