// One thing an export's check found wrong: where, a stable code, and what to tell the reviewer.

export interface Problem {
  where: string;
  code: string;
  message: string;
}
