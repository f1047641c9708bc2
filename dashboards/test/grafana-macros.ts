/**
 * Grafana's PostgreSQL query expansion, for the macros and variables our panels use, so the
 * integration test can run a panel's SQL as Grafana would send it. Follows Grafana's order:
 * template variables first (so `$__interval` can be a macro argument), then `$__macro(...)`.
 * A macro not listed here throws: a panel cannot use one the test does not understand.
 */
export interface QueryContext {
  readonly from: Date;
  readonly to: Date;
  /** What Grafana would pick for `$__interval` (from the range, panel width and min interval). */
  readonly interval: string;
  /** Dashboard variables by name (`$patient`, `${patient}`). */
  readonly variables: Readonly<Record<string, string>>;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** "5m" -> 300; quotes allowed ('1d'), as Grafana allows them. */
export function intervalSeconds(text: string): number {
  const m = /^'?(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)'?$/.exec(text.trim());
  if (!m) throw new Error(`not an interval: ${text}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

const timestamp = (d: Date): string => `'${d.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;

function interpolateVariables(sql: string, ctx: QueryContext): string {
  const builtins: Record<string, string> = {
    __interval: ctx.interval,
    __interval_ms: String(Math.round(intervalSeconds(ctx.interval) * 1000)),
  };
  const value = (name: string): string => {
    const v = builtins[name] ?? ctx.variables[name];
    if (v === undefined) throw new Error(`no value for variable $${name}`);
    return v;
  };
  // A `$__name(` is a macro, left for the second pass.
  return sql.replace(/\$\{(\w+)\}|\$(\w+)(?!\w*\()/g, (_all, braced: string | undefined, bare: string | undefined) => value((braced ?? bare)!));
}

function splitArgs(args: string): string[] {
  return args.split(',').map((a) => a.trim()).filter((a) => a.length > 0);
}

const MACROS: Readonly<Record<string, (args: string[], ctx: QueryContext) => string>> = {
  timeFilter: ([column], ctx) => `${column} BETWEEN ${timestamp(ctx.from)} AND ${timestamp(ctx.to)}`,
  timeFrom: (_args, ctx) => timestamp(ctx.from),
  timeTo: (_args, ctx) => timestamp(ctx.to),
  timeGroup: ([column, interval]) => {
    const s = intervalSeconds(interval ?? '');
    return `floor(extract(epoch from ${column})/${s})*${s}`;
  },
  timeGroupAlias: (args, ctx) => `${MACROS['timeGroup']!(args, ctx)} AS "time"`,
};

export function expandQuery(sql: string, ctx: QueryContext): string {
  return interpolateVariables(sql, ctx).replace(/\$__(\w+)\(([^()]*)\)/g, (_all, name: string, args: string) => {
    const macro = MACROS[name];
    if (!macro) throw new Error(`macro $__${name} is not implemented by the test's expansion`);
    return macro(splitArgs(args), ctx);
  });
}
