/**
 * Runs one request at a time and keeps only the newest waiting one: a webview that sends 10,000
 * layer changes while a heatmap is computed costs two server requests (the running one and the
 * last one asked for), not 10,000. No vscode import, so the unit tests drive it directly.
 */
export class LatestOnly<T> {
  private running = false;
  private waiting: { value: T } | undefined;

  constructor(private readonly run: (value: T) => Promise<void>) {}

  /** Starts `value` now, or after the running request, replacing whatever waited before it. */
  submit(value: T): void {
    this.waiting = { value };
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting) {
        const { value } = this.waiting;
        this.waiting = undefined;
        try {
          await this.run(value);
        } catch {
          // `run` reports its own failures; one failed request must not stop the next.
        }
      }
    } finally {
      this.running = false;
    }
  }
}
