// What a bench section hands the report: a measurement or why there is none, and its table rows.

export type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };

export interface Row {
  what: string;
  figure: string;
  target: string;
  verdict: string;
}
