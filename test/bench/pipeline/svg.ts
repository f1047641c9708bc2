/** Hand-written SVG pieces the benches' charts share (no charting dependency). */

export const PALETTE = ['#4f81bd', '#c0504d', '#9bbb59', '#8064a2', '#f79646', '#4bacc6', '#7f7f7f'] as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A standalone SVG document (white background, so a PNG conversion is not transparent). */
export function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${body}</svg>`
  );
}

export interface LegendItem {
  readonly label: string;
  readonly colour: string;
  readonly dashed?: boolean;
}

/** A one-row legend from (x, y): a swatch (a square, or a line for a line series) and its label per item. */
export function legend(items: readonly LegendItem[], x: number, y: number, swatch: 'square' | 'line' = 'square'): string {
  let at = x;
  return items
    .map((item) => {
      const mark =
        swatch === 'square'
          ? `<rect x="${at}" y="${y - 11}" width="12" height="12" fill="${item.colour}"/>`
          : `<line x1="${at}" y1="${y - 5}" x2="${at + 18}" y2="${y - 5}" stroke="${item.colour}" stroke-width="2"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
      const textX = at + (swatch === 'square' ? 18 : 24);
      at = textX + item.label.length * 6.5 + 18;
      return `${mark}<text x="${textX}" y="${y}" font-size="12">${escapeXml(item.label)}</text>`;
    })
    .join('');
}

/** Round axis ticks (steps of 1, 2 or 5 times a power of ten) from 0 to at least `max`, about `count` of them. */
export function axisTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let t = 0; t < max + step - step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Axis labels: 1 500 -> "1.5k", 2 000 000 -> "2M". */
export function formatTick(value: number): string {
  const size = Math.abs(value);
  if (size >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (size >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}
