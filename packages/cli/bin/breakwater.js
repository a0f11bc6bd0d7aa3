#!/usr/bin/env node
// The package ships TypeScript sources (no build step): load tsx's ESM hooks,
// then run the real entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
