/**
 * `node:fs` in the browser: the library's network readers import `readFileSync` for their file
 * variants, which the page never calls (it parses the JSON text it was given).
 */
export function readFileSync(path: string): never {
  throw new Error(`files are not read in the browser (${path})`);
}
