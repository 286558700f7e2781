// Loads a module when it is first needed instead of at import time. The optional backends
// (tfjs-node, tfjs-node-gpu) may be missing or fail to load, and the backend chooser must
// try them one by one and report why; a static import would fail the whole program instead.
// This is the project's one run-time `require`, so the lint exception lives in one place.

/** `require(id)` at run time; `id` is a package name or a path, resolved from this folder. */
export function requireAtRunTime<T = unknown>(id: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point of this helper; see above
  return require(id) as T;
}
