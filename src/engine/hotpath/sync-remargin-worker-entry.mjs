// Worker entry in plain JavaScript: registers the tsx loader inside the worker thread (a loader
// given to the parent with --import is not inherited by workers on Node 20), then loads the
// TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./sync-remargin-worker.ts");
