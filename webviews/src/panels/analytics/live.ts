// Live refresh of the analytics panels: many runs/changed notifications (a sweep, a script logging) become one reload
// at most every `ms` (trailing: the last change is always picked up), and never two reloads at once.

export interface Coalescer {
  /** Something changed: reload within `ms`. */
  trigger(): void;
  cancel(): void;
}

export function coalescer(reload: () => Promise<unknown>, ms: number): Coalescer {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  const fire = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await reload();
    } catch {
      /* the panel shows its own errors */
    } finally {
      running = false;
      if (again) {
        again = false;
        trigger();
      }
    }
  };
  const trigger = () => {
    if (timer === undefined) timer = setTimeout(() => void fire(), ms);
  };
  return {
    trigger,
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      again = false;
    },
  };
}
