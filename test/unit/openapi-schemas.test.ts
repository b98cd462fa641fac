/**
 * The committed schema table must be what the generator makes from kubernetes-types;
 * `UPDATE_OPENAPI_SCHEMAS=1` rewrites it instead of failing.
 */
import * as fs from 'fs';
import { GENERATED_FILE, generateSchemaTable, renderSchemaModule } from '../../apiserver/openapi/generate-schemas';

describe('schemas.generated.ts', () => {
  it('is up to date with the generator', () => {
    const text = renderSchemaModule(generateSchemaTable());
    if (process.env.UPDATE_OPENAPI_SCHEMAS) fs.writeFileSync(GENERATED_FILE, text);
    expect(fs.readFileSync(GENERATED_FILE, 'utf8')).toBe(text);
  });
});
