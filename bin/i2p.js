#!/usr/bin/env node
// The `i2p` command line; the code lives in src/cli/ (built to dist/cli/).
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  console.error(`i2p: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.I2P_DEBUG) console.error(err);
  process.exit(1);
});
