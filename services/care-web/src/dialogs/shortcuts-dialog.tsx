import { Dialog } from './dialog';

export const SHORTCUTS = [
  ['j', 'next alert'],
  ['k', 'previous alert'],
  ['a', 'acknowledge'],
  ['r', 'resolve…'],
  ['s', 'snooze…'],
  ['g', 'assign…'],
  ['n', 'add a note…'],
  ['Enter', 'open the patient'],
  ['?', 'this list'],
  ['Esc', 'close a dialog'],
] as const;

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <dl className="shortcuts">
        {SHORTCUTS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">Shortcuts are off while you type in a field.</p>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
