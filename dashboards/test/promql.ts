/**
 * The metric names a PromQL expression reads. Not a full parser: enough of the grammar to
 * tell metric names from functions, aggregation operators, grouping labels, keywords,
 * label matchers, ranges, durations and Grafana variables.
 */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'start', 'end']);
/** Followed by a parenthesised list of label names, not of expressions. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

type Token = { kind: 'ident' | 'open' | 'close' | 'other'; text: string };

function tokenize(expr: string): Token[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings (label_replace arguments, matcher values)
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries: [5m], [$__rate_interval], [1h:5m]
    .replace(/\$\{?[A-Za-z0-9_]+\}?/g, ' ') // Grafana variables outside ranges
    .replace(/@\s*(start|end)\s*\(\s*\)/g, ' '); // @ start() / @ end() modifiers
  const tokens: Token[] = [];
  const pattern = /(\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])*)|([A-Za-z_:][A-Za-z0-9_:]*)|(\()|(\))|(\S)/g;
  for (const m of stripped.matchAll(pattern)) {
    if (m[2]) tokens.push({ kind: 'ident', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'open', text: '(' });
    else if (m[4]) tokens.push({ kind: 'close', text: ')' });
    else tokens.push({ kind: 'other', text: m[0] });
  }
  return tokens;
}

export function metricNamesOf(expr: string): string[] {
  const tokens = tokenize(expr);
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'ident') continue;
    const next = tokens[i + 1];
    if (LABEL_LISTS.has(token.text)) {
      if (next?.kind === 'open') {
        // Skip the label list up to its closing parenthesis.
        while (i < tokens.length && tokens[i]!.kind !== 'close') i++;
      }
      continue;
    }
    if (next?.kind === 'open') continue; // a function or an aggregation operator
    if (next?.kind === 'ident' && (next.text === 'by' || next.text === 'without')) continue; // `sum by (x) (...)`
    if (KEYWORDS.has(token.text.toLowerCase())) continue;
    names.add(token.text);
  }
  return [...names];
}
