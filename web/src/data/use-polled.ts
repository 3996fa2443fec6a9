import { useEffect, useRef, useState } from "react";
import { describeError } from "../api/api-client.ts";

/*
 * A value fetched now and again every `everyMs` while the page shows it (the account page's
 * margin). The previous value stays on screen while the next request runs; an error is kept
 * beside it rather than blanking the page.
 */

export interface Polled<T> {
  readonly value: T | null;
  readonly error: string | null;
  readonly loading: boolean;
  refresh(): void;
}

export function usePolled<T>(load: () => Promise<T>, everyMs: number, key: string): Polled<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new key is the trigger: forget the previous answer.
  useEffect(() => {
    setValue(null);
    setError(null);
    setLoading(true);
  }, [key]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and tick are triggers: a new key or a refresh restarts polling.
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = async () => {
      try {
        const v = await loadRef.current();
        if (cancelled) return;
        setValue(v);
        setError(null);
      } catch (e) {
        if (cancelled) return;
        setError(describeError(e));
      } finally {
        if (!cancelled) {
          setLoading(false);
          timer = setTimeout(run, everyMs);
        }
      }
    };
    void run();
    return () => {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [everyMs, key, tick]);

  return { value, error, loading, refresh: () => setTick((t) => t + 1) };
}
