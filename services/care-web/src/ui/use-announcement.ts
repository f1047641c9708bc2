import { useCallback, useEffect, useState } from 'react';
import type { Announcement } from '../dialogs/alert-actions';

/** How long a result stays on screen: long enough to read twice; the live region has read it out by then. */
const SHOWN_MS = 8_000;

/** A result to announce that clears itself, so the toast never sits over the page's own content for long. */
export function useAnnouncement(): [Announcement | null, (text: string, tone?: Announcement['tone']) => void] {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  useEffect(() => {
    if (!announcement) return;
    const timer = setTimeout(() => setAnnouncement(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [announcement]);
  const announce = useCallback((text: string, tone: Announcement['tone'] = 'ok') => setAnnouncement({ text, tone }), []);
  return [announcement, announce];
}
