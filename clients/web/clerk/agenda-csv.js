// An agenda file read in the browser, by the rules of `meeting import agenda`
// (meeting/cli/importing.py and _tables.py): the same columns (title, description, access),
// the same CSV dialect (a header row; comma, semicolon or tab, whichever the header uses
// most; quotes doubled inside quoted cells), cells trimmed and normalised to NFC, rows
// numbered as a spreadsheet shows them, and every problem of the file reported at once with
// its row and column. A browser test feeds the same files to both and compares the results.
//
// Pure: text in, `{rows, problems}` out. Problems carry a code and values for the messages
// in strings.js (`csv.<code>`), not the messages themselves.

export const COLUMNS = ["title", "description", "access"];
export const REQUIRED = ["title"];
export const MAX_ROWS = 5_000;
export const MAX_TEXT_CHARS = 10_000_000;
export const MAX_TITLE = 500;
export const MAX_DESCRIPTION = 20_000;
const FIELD_LIMIT = 131_072; // Python's csv.field_size_limit(), which the server's reader has
const ACCESS = ["public", "delegates"];

/** The text of a file's bytes: UTF-8 with or without a BOM, or UTF-16 with its BOM (Excel). */
export function decodeText(bytes) {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : null;
  try {
    return { text: new TextDecoder(utf16 ?? "utf-8", { fatal: true }).decode(bytes), problem: null };
  } catch {
    return { text: null, problem: { row: null, column: null, code: "not_utf8", values: {} } };
  }
}

function problem(row, column, code, values = {}) {
  return { row, column, code, values };
}

const cell = (value) => value.normalize("NFC").trim();

/** The records of CSV `text`: `{row, cells}`, `row` the line where the record starts. */
function readCsv(text, delimiter, problems) {
  const records = [];
  const n = text.length;
  let i = 0;
  let lines = 0; // line ends consumed so far
  while (i < n) {
    const row = lines + 1;
    const cells = [];
    let field = "";
    let state = "record"; // record | field | unquoted | quoted | quote
    let ended = false;
    while (i < n && !ended) {
      const c = text[i++];
      if (c === "\n" || c === "\r") {
        const crlf = c === "\r" && text[i] === "\n";
        if (crlf) i++;
        lines++;
        if (state === "quoted") {
          field += crlf ? "\r\n" : c; // a line break inside a quoted cell is part of it
          continue;
        }
        if (state !== "record") cells.push(field);
        ended = true;
        continue;
      }
      switch (state) {
        case "record":
        case "field":
          if (c === '"') state = "quoted";
          else if (c === delimiter) {
            cells.push(field);
            field = "";
            state = "field";
          } else {
            field += c;
            state = "unquoted";
          }
          break;
        case "unquoted":
          if (c === delimiter) {
            cells.push(field);
            field = "";
            state = "field";
          } else field += c;
          break;
        case "quoted":
          if (c === '"') state = "quote";
          else field += c;
          break;
        case "quote":
          if (c === '"') {
            field += '"';
            state = "quoted";
          } else if (c === delimiter) {
            cells.push(field);
            field = "";
            state = "field";
          } else {
            field += c; // lenient, as Python's reader: `"ab"c` reads as abc
            state = "unquoted";
          }
          break;
      }
      if (field.length > FIELD_LIMIT) {
        problems.push(problem(row, null, "cell_too_long", { max: FIELD_LIMIT }));
        return records;
      }
    }
    if (!ended && state !== "record") cells.push(field); // the last line has no line end
    records.push({ row, cells });
  }
  return records;
}

function checkHeader(row, header, problems) {
  header.forEach((name, i) => {
    if (name && !COLUMNS.includes(name)) {
      problems.push(problem(row, name, "unknown_column", { columns: COLUMNS.join(", ") }));
    } else if (name && header.slice(0, i).includes(name)) {
      problems.push(problem(row, name, "duplicate_column"));
    }
  });
  const missing = REQUIRED.filter((c) => !header.includes(c));
  for (const name of missing) problems.push(problem(row, name, "missing_column"));
  return missing.length === 0;
}

function tableRecords(text, problems) {
  const first = text.split(/\r\n|\r|\n/).find((line) => line.trim()) ?? "";
  const count = (d) => first.split(d).length - 1;
  const delimiter = [",", ";", "\t"].reduce((best, d) => (count(d) > count(best) ? d : best));
  let header = null;
  const out = [];
  for (const { row, cells: raw } of readCsv(text, delimiter, problems)) {
    const cells = raw.map(cell);
    if (!cells.some(Boolean)) continue;
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      if (!checkHeader(row, header, problems)) return [];
      continue;
    }
    const record = {};
    cells.forEach((value, i) => {
      const name = i < header.length ? header[i] : "";
      if (COLUMNS.includes(name)) record[name] = value;
      else if (value && !name) problems.push(problem(row, null, "extra_cell", { n: i + 1 }));
    });
    out.push({ row, record });
  }
  return out;
}

/** `{rows: [{row, title, description, access}], problems: [{row, column, code, values}]}`. */
export function parseAgenda(text, { maxRows = MAX_ROWS } = {}) {
  const problems = [];
  let records = [];
  if (text.length > MAX_TEXT_CHARS) problems.push(problem(null, null, "too_large"));
  else records = tableRecords(text.replace(/^\ufeff/, ""), problems);
  if (!records.length && !problems.length) problems.push(problem(null, null, "no_rows"));
  if (records.length > maxRows) {
    return { rows: [], problems: [problem(null, null, "too_many_rows", { max: maxRows })] };
  }
  const rows = records.map(({ row, record }) => {
    const title = (record.title ?? "").split(/\s+/).filter(Boolean).join(" ");
    const length = [...title].length;
    if (!title) problems.push(problem(row, "title", "missing_title"));
    else if (length > MAX_TITLE) problems.push(problem(row, "title", "title_too_long", { n: length, max: MAX_TITLE }));
    const description = record.description ?? "";
    if ([...description].length > MAX_DESCRIPTION) {
      problems.push(problem(row, "description", "description_too_long", { max: MAX_DESCRIPTION }));
    }
    const raw = (record.access ?? "").toLowerCase() || "public";
    if (!ACCESS.includes(raw)) problems.push(problem(row, "access", "bad_access", { value: raw }));
    return { row, title, description, access: ACCESS.includes(raw) ? raw : "public" };
  });
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return problems.length ? { rows: [], problems } : { rows, problems };
}
