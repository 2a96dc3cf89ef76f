// Reconnect delays: 0.5 s doubling up to a cap, with a little jitter so panels don't stampede.

export class Backoff {
  constructor({ first = 500, max = 8000 } = {}) {
    this.first = first;
    this.max = max;
    this.attempt = 0;
  }

  next() {
    const base = Math.min(this.max, this.first * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(base * (0.85 + Math.random() * 0.3));
  }

  reset() {
    this.attempt = 0;
  }
}
