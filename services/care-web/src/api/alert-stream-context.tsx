import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from './api-client';
import { followAlertStream, type StreamMessage, type StreamStatus } from './alert-stream';

type Listener = (message: StreamMessage) => void;

interface AlertStream {
  readonly status: StreamStatus;
  subscribe(listener: Listener): () => void;
}

const AlertStreamContext = createContext<AlertStream | null>(null);

/** One stream connection per signed-in screen, shared by every view that shows alerts. */
export function AlertStreamProvider({ api, children }: { api: ApiClient; children: ReactNode }) {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    const controller = new AbortController();
    void followAlertStream(api, (message) => listeners.current.forEach((l) => l(message)), setStatus, controller.signal);
    return () => controller.abort();
  }, [api]);

  const [stream] = useState(() => ({
    subscribe(listener: Listener) {
      listeners.current.add(listener);
      return () => {
        listeners.current.delete(listener);
      };
    },
  }));
  return <AlertStreamContext.Provider value={{ status, subscribe: stream.subscribe }}>{children}</AlertStreamContext.Provider>;
}

function useStream(): AlertStream {
  const stream = useContext(AlertStreamContext);
  if (!stream) throw new Error('useAlertStream outside AlertStreamProvider');
  return stream;
}

export function useAlertStreamStatus(): StreamStatus {
  return useStream().status;
}

/** Calls `listener` for every stream message while the component is mounted (always the latest listener). */
export function useAlertStream(listener: Listener): void {
  const { subscribe } = useStream();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => subscribe((message) => latest.current(message)), [subscribe]);
}
