#!/usr/bin/env node
import { debugRequested, errorLine, main } from '../dist/cli/main.js';

// Exit status: 0 success, 1 a negative answer (verify's mismatches), 2 any error. Whatever escapes
// main() (an error thrown in a callback, a rejected promise) is still one line and status 2.
const debug = debugRequested(process.argv.slice(2));
const fail = (error) => {
  try {
    process.stderr.write(`${errorLine(error, debug)}\n`);
  } finally {
    process.exit(2);
  }
};

// a reader that stops early (`fxnn … | head`) closes the pipe: stop quietly, as other CLI tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    fail(error);
  });
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, fail);
