// Lints Cypher statements with Neo4j's own language support (@neo4j-cypher/language-support):
// reads [{"query": "...", "parameters": ["name", ...]}] as JSON on stdin and prints one JSON
// list of {"query", "severity" (1 error, 2 warning), "message"} for every diagnostic found.
// The package is looked up in the folder given as the first argument (tests/.node).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(resolve(process.argv[2]) + '/');
const { lintCypherQuery } = require('@neo4j-cypher/language-support');

const statements = JSON.parse(readFileSync(0, 'utf8'));
const found = [];
for (const { query, parameters } of statements) {
  // the parameters the driver sent with the statement, declared so that `$name` is known
  const declared = Object.fromEntries(parameters.map((name) => [name, null]));
  for (const d of lintCypherQuery(query, { parameters: declared }).diagnostics) {
    found.push({ query, severity: d.severity, message: d.message });
  }
}
process.stdout.write(JSON.stringify(found));
