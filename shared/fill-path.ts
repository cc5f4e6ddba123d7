// Kept apart from the route table (admin-api.ts) so the CLI can fill a path without loading zod.

/** Fills `:param`s with URL-encoded values; throws on a missing one so a bad call can't hit the wrong route. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path param ${name} for ${path}`);
    return encodeURIComponent(value);
  });
}
