// A small typed event emitter; listener errors never escape into the client.

/** Typed listeners by event name. */
export class Emitter<Events extends object> {
  #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (e: unknown) => void = () => {}) {}

  on<E extends keyof Events>(event: E, cb: (payload: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(cb as (payload: never) => void);
    return () => this.off(event, cb);
  }

  off<E extends keyof Events>(event: E, cb: (payload: Events[E]) => void): void {
    this.#listeners.get(event)?.delete(cb as (payload: never) => void);
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    for (const cb of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (cb as (p: Events[E]) => void)(payload);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
