/**
 * The value of a Prometheus counter or gauge scraped from `${baseUrl}/metrics`: the sum
 * over the series whose labels include `labels`; 0 when no such series exists yet.
 */
export async function readMetric(baseUrl: string, name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
  const res = await fetch(new URL('/metrics', baseUrl));
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of (await res.text()).split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = (match[2] ?? '').split(',');
    if (wanted.every((w) => series.includes(w))) sum += Number(match[3]);
  }
  return sum;
}
