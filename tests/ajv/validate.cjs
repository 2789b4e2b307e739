'use strict';
// Validates JSON documents against a JSON Schema with Ajv (draft-07), for tests/schema.rs.
// Usage: node validate.cjs INSTALL_DIR INPUT.json
//   INSTALL_DIR holds node_modules/ajv (`npm ci` of this folder's package-lock.json);
//   INPUT.json is {"schema": {...}, "documents": [...]}.
// Prints a JSON array, one {"valid": bool, "errors": [{"path", "message"}]} per document.
const fs = require('fs');
const path = require('path');

const [installDir, input] = process.argv.slice(2);
const ajvModule = require(path.join(installDir, 'node_modules', 'ajv'));
const Ajv = ajvModule.default || ajvModule;
const { schema, documents } = JSON.parse(fs.readFileSync(input, 'utf8'));
// Strict: an unknown keyword or a contradictory schema is an error, not silence. Not
// strictRequired, which rejects the idiom "file or request": `anyOf: [{required: [file]}, ...]`.
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(schema);
const results = documents.map((doc) => {
  const valid = validate(doc);
  const errors = valid
    ? []
    : validate.errors.map((e) => ({ path: e.instancePath, message: e.message }));
  return { valid, errors };
});
process.stdout.write(JSON.stringify(results));
