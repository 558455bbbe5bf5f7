#!/usr/bin/env node
/* global require */
// Runs the TypeScript CLI through tsx's require hook, so `npx luoshi …` works with no build step.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('tsx/cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../src/cli/luoshi.ts').main();
