// CSV (RFC 4180) for the exports. A cell starting with = + - @ (or a tab or carriage return) is prefixed with
// a single quote, so a spreadsheet shows it as text instead of running it as a formula (CSV injection):
// learners write the feedback and the queries.
// Numbers and dates are written as they are (a negative number stays a number).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(headers: string[], rows: unknown[][]): string {
  return [headers, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
