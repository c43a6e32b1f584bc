#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// a reader that stops early (`fxnn … | head`) closes the pipe: stop quietly, as other CLI tools do
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
