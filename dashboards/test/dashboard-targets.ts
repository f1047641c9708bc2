import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/** A query of a panel in a generated dashboard, with where it came from for test names. */
export interface PanelTarget {
  readonly dashboard: string;
  readonly panel: string;
  readonly datasourceType: string;
  readonly target: Readonly<Record<string, unknown>>;
}

interface PanelLike {
  readonly title?: string;
  readonly type?: string;
  readonly datasource?: { readonly type?: string };
  readonly targets?: readonly Record<string, unknown>[];
  readonly panels?: readonly PanelLike[];
}

/** Every query of every panel, rows included (collapsed rows hold their panels inside). */
export function panelTargets(dashboard: Dashboard | Record<string, unknown>): PanelTarget[] {
  const title = String((dashboard as { title?: string }).title);
  const walk = (panels: readonly PanelLike[]): PanelTarget[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? []).map((target) => ({
        dashboard: title,
        panel: panel.title ?? '(untitled)',
        datasourceType: String((target['datasource'] as { type?: string } | undefined)?.type ?? panel.datasource?.type),
        target,
      })),
      ...walk(panel.panels ?? []),
    ]);
  return walk(((dashboard as { panels?: PanelLike[] }).panels ?? []) as PanelLike[]);
}
