import { useRef, type KeyboardEvent } from 'react';
import { programmeLabel } from '../ui/format';
import { ASSIGNEES, PROGRAMMES, QUEUES, STATUSES, type WorklistFilters } from './worklist-filters';

const QUEUE_LABEL = { clinical: 'Clinical', adherence: 'Adherence' } as const;
const ASSIGNEE_LABEL = { anyone: 'Anyone', me: 'Me', none: 'Nobody' } as const;
const STATUS_LABEL = { active: 'Open or acknowledged', open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' } as const;

export const queueTabId = (queue: string) => `queue-tab-${queue}`;
export const QUEUE_PANEL_ID = 'queue-panel';

/** The two queues as tabs (arrow keys move between them, as the ARIA tabs pattern has it). */
export function QueueTabs({ filters, onChange }: { filters: WorklistFilters; onChange: (f: WorklistFilters) => void }) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = QUEUES.indexOf(filters.queue);
    const next = QUEUES[(index + (event.key === 'ArrowRight' ? 1 : QUEUES.length - 1)) % QUEUES.length] ?? 'clinical';
    onChange({ ...filters, queue: next });
    tabs.current[QUEUES.indexOf(next)]?.focus();
  };
  return (
    <div role="tablist" aria-label="Queues" className="tabs" onKeyDown={onKeyDown}>
      {QUEUES.map((queue, i) => (
        <button
          key={queue}
          ref={(el) => {
            tabs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={queueTabId(queue)}
          aria-selected={filters.queue === queue}
          aria-controls={QUEUE_PANEL_ID}
          tabIndex={filters.queue === queue ? 0 : -1}
          onClick={() => onChange({ ...filters, queue })}
        >
          {QUEUE_LABEL[queue]}
        </button>
      ))}
    </div>
  );
}

export function QueueFilters({ filters, onChange }: { filters: WorklistFilters; onChange: (f: WorklistFilters) => void }) {
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Assigned to
        <select value={filters.assignee} onChange={(e) => onChange({ ...filters, assignee: ASSIGNEES.find((a) => a === e.target.value) ?? 'anyone' })}>
          {ASSIGNEES.map((a) => (
            <option key={a} value={a}>
              {ASSIGNEE_LABEL[a]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Programme
        <select value={filters.programme} onChange={(e) => onChange({ ...filters, programme: PROGRAMMES.find((p) => p === e.target.value) ?? 'all' })}>
          {PROGRAMMES.map((p) => (
            <option key={p} value={p}>
              {p === 'all' ? 'All programmes' : p === 'general' ? 'No programme' : programmeLabel(p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={filters.status} onChange={(e) => onChange({ ...filters, status: STATUSES.find((s) => s === e.target.value) ?? 'active' })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
