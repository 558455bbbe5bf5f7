interface RouteDef<H> {
  method: string;
  re: RegExp;
  names: string[];
  handler: H;
}

/** A minimal path router: `:name` segments become params. */
export class Router<H> {
  private readonly routes: RouteDef<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const names: string[] = [];
    const src = pattern.replace(/:([a-z_]+)/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    this.routes.push({ method, re: new RegExp(`^${src}$`), names, handler });
    return this;
  }

  match(method: string, path: string): { handler: H; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      const m = r.method === method ? r.re.exec(path) : null;
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: r.handler, params };
    }
    return undefined;
  }
}
