#!/usr/bin/env node
// Entry point for the `marginal` command. The sources are TypeScript run through tsx's loader,
// so a fresh clone works after `npm install` with no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
