/**
 * Deferred runtime values: stand-ins for template variables that exist only when the workflow or agent runs. They
 * render back as `{{ path }}` (attributes too), so a later render fills them in (spec/xprompts.md §4.4 "Runtime
 * names"). Shared by the template engine (template.ts) and the mini-Jinja fast path (mini-jinja.ts).
 */
const deferredPaths = new WeakMap<object, string>();

/** The `{{ path }}` a deferred value stands for, or undefined for ordinary values. */
export function deferredPath(v: unknown): string | undefined {
  return typeof v === 'object' && v !== null ? deferredPaths.get(v) : undefined;
}

/** True for a value made by {@link deferredValue} (a name that exists only later). */
export function isDeferredValue(v: unknown): boolean {
  return deferredPath(v) !== undefined;
}

/**
 * A value that renders as `{{ path }}` and whose attributes are deferred too (`step.field` → `{{ step.field }}`):
 * used for variables that exist only when the workflow or agent runs.
 */
export function deferredValue(path: string): unknown {
  const p: object = new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop === Symbol.toPrimitive || prop === 'toString') return () => `{{ ${path} }}`;
        if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON') return undefined;
        return deferredValue(`${path}.${prop}`);
      },
    },
  );
  deferredPaths.set(p, path);
  return p;
}
