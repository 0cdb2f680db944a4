/**
 * 405 instead of 404 for a path that exists under another method: the methods an express router
 * serves at a path, read from its routes (path patterns included), for the `Allow` header.
 */

/** The part of an express router this reads: its layers, some with a route. */
interface RouterLike {
  stack?: unknown;
}
interface LayerLike {
  route?: { methods?: Record<string, boolean> };
  match?: (path: string) => boolean;
}

/** Upper-case methods `router` serves at `path` (GET implies HEAD); empty when none. */
export function methodsAt(router: RouterLike, path: string): string[] {
  const methods = new Set<string>();
  const stack = Array.isArray(router.stack) ? (router.stack as LayerLike[]) : [];
  for (const layer of stack) {
    if (!layer.route?.methods || typeof layer.match !== 'function') continue;
    if (!layer.match(path)) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) {
      if (!on || m === '_all') continue;
      methods.add(m.toUpperCase());
      if (m === 'get') methods.add('HEAD');
    }
  }
  return [...methods];
}

/** The path of `reqPath` inside a router mounted at `mountPath`, or undefined when it is outside. */
export function pathInside(mountPath: string, reqPath: string): string | undefined {
  if (mountPath === '/' || mountPath === '') return reqPath;
  if (reqPath === mountPath) return '/';
  return reqPath.startsWith(`${mountPath}/`) ? reqPath.slice(mountPath.length) : undefined;
}
